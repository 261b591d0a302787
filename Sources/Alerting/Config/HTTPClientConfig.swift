import Foundation
import OutpostCore

/// The parts of Prometheus' `http_config` Outpost implements: credentials and an HTTP proxy.
public struct HTTPClientConfig: Decodable, Sendable, Equatable {
    /// The `Authorization` header value, from `basic_auth` or `authorization`.
    public var authorizationHeader: String?
    public var proxy: HTTPURL?

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
        try container.check(!container.contains(.tlsConfig), forKey: .tlsConfig, "tls_config is not supported yet (Outpost sends plain HTTP)")
        try container.check(!(container.contains(.basicAuth) && container.contains(.authorization)), forKey: .authorization,
                            "at most one of basic_auth and authorization must be configured")
        if container.contains(.basicAuth) {
            let basic = try container.nestedContainer(keyedBy: BasicAuthKeys.self, forKey: .basicAuth)
            let username = try basic.secret(.username, file: .usernameFile)
            let password = try basic.secret(.password, file: .passwordFile)
            authorizationHeader = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        }
        if container.contains(.authorization) {
            let authorization = try container.nestedContainer(keyedBy: AuthorizationKeys.self, forKey: .authorization)
            let type = try authorization.decodeIfPresent(String.self, forKey: .type) ?? "Bearer"
            try authorization.check(type.lowercased() != "basic", forKey: .type, "authorization type cannot be set to \"basic\", use \"basic_auth\" instead")
            let credentials = try authorization.secret(.credentials, file: .credentialsFile)
            authorizationHeader = type + " " + credentials
        }
        if let text = try container.decodeIfPresent(String.self, forKey: .proxyURL) {
            guard let proxy = HTTPURL(text) else {
                throw DecodingError.dataCorruptedError(forKey: .proxyURL, in: container, debugDescription: "\"\(text)\" is not an http proxy URL")
            }
            self.proxy = proxy
        }
    }
}

extension KeyedDecodingContainer {
    /// A value given inline or in a file (`password` / `password_file`), trimmed of its newline.
    func secret(_ key: Key, file fileKey: Key) throws -> String {
        let inline = try decodeIfPresent(String.self, forKey: key)
        let path = try decodeIfPresent(String.self, forKey: fileKey)
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
