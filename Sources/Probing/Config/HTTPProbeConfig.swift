import Foundation
import OutpostCore

/// The `http:` section of a module, with blackbox_exporter's options and defaults.
public struct HTTPProbeConfig: Decodable, Sendable {
    /// Empty means any 2xx.
    public var validStatusCodes: [Int] = []
    /// Empty means any version; entries look like `HTTP/1.1`, `HTTP/2.0`.
    public var validHTTPVersions: [String] = []
    public var method = "GET"
    public var headers: [String: String] = [:]
    public var body: String?
    public var bodyFile: String?
    public var compression: String?
    public var followRedirects = true
    public var failIfSSL = false
    public var failIfNotSSL = false
    public var failIfBodyMatches: [ProbeRegex] = []
    public var failIfBodyNotMatches: [ProbeRegex] = []
    public var failIfHeaderMatches: [HeaderMatch] = []
    public var failIfHeaderNotMatches: [HeaderMatch] = []
    /// Bytes; 0 means no limit.
    public var bodySizeLimit: Int64 = 0
    public var tls = TLSConfig()
    public var basicAuth: BasicAuth?
    public var authorization: Authorization?
    public var proxyURL: String?
    public var ip = IPSettings()
    /// Outpost's own: assertions on a JSON body, such as `$.status == "UP"`.
    public var jsonAssertions: [JSONAssertion] = []

    /// Whether a check reads the body, which then has to be kept.
    var checksBody: Bool { !failIfBodyMatches.isEmpty || !failIfBodyNotMatches.isEmpty || !jsonAssertions.isEmpty }

    public struct HeaderMatch: Decodable, Sendable {
        public var header: String
        public var regexp: ProbeRegex
        public var allowMissing = false

        enum CodingKeys: String, CodingKey {
            case header, regexp
            case allowMissing = "allow_missing"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            header = try container.decode(String.self, forKey: .header)
            regexp = try container.decode(ProbeRegex.self, forKey: .regexp)
            allowMissing = try container.decodeIfPresent(Bool.self, forKey: .allowMissing) ?? false
        }
    }

    public struct BasicAuth: Decodable, Sendable {
        public var username: String
        public var password: String

        enum CodingKeys: String, CodingKey {
            case username, password
            case passwordFile = "password_file"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            username = try container.decode(String.self, forKey: .username)
            password = try container.decodeIfPresent(String.self, forKey: .password) ?? ""
            if let file = try container.decodeFilePath(forKey: .passwordFile, decoder: decoder) {
                password = try readSecret(file, container: container, key: .passwordFile)
            }
        }
    }

    public struct Authorization: Decodable, Sendable {
        public var type = "Bearer"
        public var credentials: String

        enum CodingKeys: String, CodingKey {
            case type, credentials
            case credentialsFile = "credentials_file"
        }

        init(type: String, credentials: String) {
            self.type = type
            self.credentials = credentials
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decodeIfPresent(String.self, forKey: .type) ?? "Bearer"
            credentials = try container.decodeIfPresent(String.self, forKey: .credentials) ?? ""
            if let file = try container.decodeFilePath(forKey: .credentialsFile, decoder: decoder) {
                credentials = try readSecret(file, container: container, key: .credentialsFile)
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case validStatusCodes = "valid_status_codes"
        case validHTTPVersions = "valid_http_versions"
        case method, headers, body, compression
        case bodyFile = "body_file"
        case followRedirects = "follow_redirects"
        case failIfSSL = "fail_if_ssl"
        case failIfNotSSL = "fail_if_not_ssl"
        case failIfBodyMatches = "fail_if_body_matches_regexp"
        case failIfBodyNotMatches = "fail_if_body_not_matches_regexp"
        case failIfHeaderMatches = "fail_if_header_matches"
        case failIfHeaderNotMatches = "fail_if_header_not_matches"
        case bodySizeLimit = "body_size_limit"
        case tlsConfig = "tls_config"
        case basicAuth = "basic_auth"
        case authorization
        case bearerToken = "bearer_token"
        case bearerTokenFile = "bearer_token_file"
        case proxyURL = "proxy_url"
        case preferredIPProtocol = "preferred_ip_protocol"
        case ipProtocolFallback = "ip_protocol_fallback"
        case jsonAssertions = "json_assertions"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        validStatusCodes = try container.decodeIfPresent([Int].self, forKey: .validStatusCodes) ?? []
        validHTTPVersions = try container.decodeIfPresent([String].self, forKey: .validHTTPVersions) ?? []
        for version in validHTTPVersions {
            try container.check(["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0", "HTTP/3", "HTTP/3.0"].contains(version),
                                forKey: .validHTTPVersions, "\"\(version)\" is not an HTTP version")
        }
        method = try container.decodeIfPresent(String.self, forKey: .method) ?? "GET"
        headers = try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        body = try container.decodeIfPresent(String.self, forKey: .body)
        bodyFile = try container.decodeFilePath(forKey: .bodyFile, decoder: decoder)
        try container.check(body == nil || bodyFile == nil, forKey: .bodyFile, "body and body_file are mutually exclusive")
        if let file = bodyFile {
            try container.check(FileManager.default.isReadableFile(atPath: file), forKey: .bodyFile, "cannot read \"\(file)\"")
        }
        compression = try container.decodeIfPresent(String.self, forKey: .compression)
        if let compression {
            try container.check(["", "gzip", "br", "deflate", "identity"].contains(compression), forKey: .compression,
                                "\"\(compression)\" is not one of gzip, br, deflate, identity")
        }
        followRedirects = try container.decodeIfPresent(Bool.self, forKey: .followRedirects) ?? true
        failIfSSL = try container.decodeIfPresent(Bool.self, forKey: .failIfSSL) ?? false
        failIfNotSSL = try container.decodeIfPresent(Bool.self, forKey: .failIfNotSSL) ?? false
        failIfBodyMatches = try container.decodeIfPresent([ProbeRegex].self, forKey: .failIfBodyMatches) ?? []
        failIfBodyNotMatches = try container.decodeIfPresent([ProbeRegex].self, forKey: .failIfBodyNotMatches) ?? []
        failIfHeaderMatches = try container.decodeIfPresent([HeaderMatch].self, forKey: .failIfHeaderMatches) ?? []
        failIfHeaderNotMatches = try container.decodeIfPresent([HeaderMatch].self, forKey: .failIfHeaderNotMatches) ?? []
        if let limit = try container.decodeIfPresent(String.self, forKey: .bodySizeLimit) {
            guard let bytes = ByteSize.parse(limit) else {
                throw DecodingError.dataCorruptedError(forKey: .bodySizeLimit, in: container, debugDescription: "\"\(limit)\" is not a size")
            }
            bodySizeLimit = bytes
        }
        tls = try container.decodeIfPresent(TLSConfig.self, forKey: .tlsConfig) ?? TLSConfig()
        basicAuth = try container.decodeIfPresent(BasicAuth.self, forKey: .basicAuth)
        authorization = try container.decodeIfPresent(Authorization.self, forKey: .authorization)
        if let token = try container.decodeIfPresent(String.self, forKey: .bearerToken) {
            authorization = Authorization(type: "Bearer", credentials: token)
        }
        if let file = try container.decodeFilePath(forKey: .bearerTokenFile, decoder: decoder) {
            authorization = Authorization(type: "Bearer", credentials: try readSecret(file, container: container, key: .bearerTokenFile))
        }
        try container.check(basicAuth == nil || authorization == nil, forKey: .authorization,
                            "basic_auth and authorization are mutually exclusive")
        proxyURL = try container.decodeIfPresent(String.self, forKey: .proxyURL)
        ip.preferred = try container.decodeIfPresent(IPProtocol.self, forKey: .preferredIPProtocol) ?? .ip6
        ip.fallback = try container.decodeIfPresent(Bool.self, forKey: .ipProtocolFallback) ?? true
        jsonAssertions = try container.decodeIfPresent([JSONAssertion].self, forKey: .jsonAssertions) ?? []
    }
}

/// Reads a secret from a file, trimming the trailing newline editors add.
func readSecret<Key: CodingKey>(_ path: String, container: KeyedDecodingContainer<Key>, key: Key) throws -> String {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "cannot read \"\(path)\"")
    }
    return text.trimmingCharacters(in: .newlines)
}
