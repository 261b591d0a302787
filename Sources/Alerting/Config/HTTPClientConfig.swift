import Foundation
import OutpostCore

/// The parts of Prometheus' `http_config` Outpost implements: credentials, an HTTP proxy for
/// plain-HTTP targets, and `tls_config`.
public struct HTTPClientConfig: Decodable, Sendable {
    /// The `Authorization` header value, from `basic_auth` or `authorization`.
    public var authorizationHeader: String?
    public var proxy: HTTPURL?
    /// From `tls_config`; nil means the system's CAs with verification.
    public var tls: TLSContext?

    enum CodingKeys: String, CodingKey {
        case authorization
        case basicAuth = "basic_auth"
        case proxyURL = "proxy_url"
        case tlsConfig = "tls_config"
    }

    enum BasicAuthKeys: String, CodingKey {
        case username, password
        case usernameFile = "username_file"
        case passwordFile = "password_file"
    }

    enum TLSKeys: String, CodingKey {
        case caFile = "ca_file"
        case certFile = "cert_file"
        case keyFile = "key_file"
        case serverName = "server_name"
        case insecureSkipVerify = "insecure_skip_verify"
    }

    enum AuthorizationKeys: String, CodingKey {
        case type, credentials
        case credentialsFile = "credentials_file"
    }

    public init(authorizationHeader: String? = nil, proxy: HTTPURL? = nil) {
        self.authorizationHeader = authorizationHeader
        self.proxy = proxy
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try container.check(!(container.contains(.basicAuth) && container.contains(.authorization)), forKey: .authorization,
                            "at most one of basic_auth and authorization must be configured")
        if container.contains(.basicAuth) {
            let basic = try container.nestedContainer(keyedBy: BasicAuthKeys.self, forKey: .basicAuth)
            let username = try basic.secret(.username, file: .usernameFile, decoder: decoder)
            let password = try basic.secret(.password, file: .passwordFile, decoder: decoder)
            authorizationHeader = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        }
        if container.contains(.authorization) {
            let authorization = try container.nestedContainer(keyedBy: AuthorizationKeys.self, forKey: .authorization)
            let type = try authorization.decodeIfPresent(String.self, forKey: .type) ?? "Bearer"
            try authorization.check(type.lowercased() != "basic", forKey: .type, "authorization type cannot be set to \"basic\", use \"basic_auth\" instead")
            let credentials = try authorization.secret(.credentials, file: .credentialsFile, decoder: decoder)
            authorizationHeader = type + " " + credentials
        }
        if container.contains(.tlsConfig) {
            let tls = try container.nestedContainer(keyedBy: TLSKeys.self, forKey: .tlsConfig)
            do {
                self.tls = try TLSContext(caFile: tls.decodeFilePath(forKey: .caFile, decoder: decoder),
                                          certFile: tls.decodeFilePath(forKey: .certFile, decoder: decoder),
                                          keyFile: tls.decodeFilePath(forKey: .keyFile, decoder: decoder),
                                          serverName: tls.decodeIfPresent(String.self, forKey: .serverName),
                                          insecureSkipVerify: tls.decodeIfPresent(Bool.self, forKey: .insecureSkipVerify) ?? false)
            } catch let error as TLSSetupError {
                throw DecodingError.dataCorruptedError(forKey: .tlsConfig, in: container, debugDescription: error.description)
            }
        }
        if let text = try container.decodeIfPresent(String.self, forKey: .proxyURL) {
            guard let proxy = HTTPURL(text), !proxy.isTLS else {
                throw DecodingError.dataCorruptedError(forKey: .proxyURL, in: container, debugDescription: "\"\(text)\" is not an http proxy URL")
            }
            self.proxy = proxy
        }
    }
}

extension KeyedDecodingContainer {
    /// A value given inline or in a file (`password` / `password_file`, relative to the config
    /// file's folder), trimmed of its newline.
    func secret(_ key: Key, file fileKey: Key, decoder: any Decoder) throws -> String {
        let inline = try decodeIfPresent(String.self, forKey: key)
        let path = try decodeFilePath(forKey: fileKey, decoder: decoder)
        try check(inline == nil || path == nil, forKey: fileKey, "at most one of \(key.stringValue) and \(fileKey.stringValue) must be configured")
        if let path { return try readSecretFile(path, forKey: fileKey) }
        return inline ?? ""
    }

    func readSecretFile(_ path: String, forKey key: Key) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "cannot read \"\(path)\"")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
