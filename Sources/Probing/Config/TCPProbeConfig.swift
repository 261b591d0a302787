import OutpostCore

/// The `tcp:` section: connect, optionally start TLS, then a scripted conversation.
public struct TCPProbeConfig: Decodable, Sendable {
    public var ip = IPSettings()
    public var queryResponse: [QueryResponse] = []
    public var tls = false
    public var tlsConfig = TLSConfig()

    /// Whether the conversation speaks TLS at some point: from the start or after `starttls`.
    var usesTLS: Bool { tls || queryResponse.contains(where: \.startTLS) }

    /// One step: wait for `expect` (a line regex) or `expectBytes`, then `send`, then maybe `starttls`.
    public struct QueryResponse: Decodable, Sendable {
        public var expect: ProbeRegex?
        public var expectBytes: [UInt8]?
        public var send: String?
        public var startTLS = false
        public var labels: [ExpectLabel] = []

        enum CodingKeys: String, CodingKey {
            case expect, send, labels
            case expectBytes = "expect_bytes"
            case startTLS = "starttls"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            expect = try container.decodeIfPresent(ProbeRegex.self, forKey: .expect)
            if let text = try container.decodeIfPresent(String.self, forKey: .expectBytes) {
                expectBytes = Array(text.utf8)
            }
            send = try container.decodeIfPresent(String.self, forKey: .send)
            startTLS = try container.decodeIfPresent(Bool.self, forKey: .startTLS) ?? false
            labels = try container.decodeIfPresent([ExpectLabel].self, forKey: .labels) ?? []
            try container.check(labels.isEmpty || expect != nil, forKey: .labels, "labels need an expect regexp")
        }
    }

    /// A label of `probe_expect_info`, its value expanded from the expect regexp's captures.
    public struct ExpectLabel: Decodable, Sendable {
        public var name: String
        public var value: String

        enum CodingKeys: String, CodingKey { case name, value }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            try container.check(MetricNames.isValidLabelName(name), forKey: .name, "\"\(name)\" is not a valid label name")
            value = try container.decode(String.self, forKey: .value)
        }
    }

    enum CodingKeys: String, CodingKey {
        case tls
        case queryResponse = "query_response"
        case tlsConfig = "tls_config"
        case preferredIPProtocol = "preferred_ip_protocol"
        case ipProtocolFallback = "ip_protocol_fallback"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        queryResponse = try container.decodeIfPresent([QueryResponse].self, forKey: .queryResponse) ?? []
        tls = try container.decodeIfPresent(Bool.self, forKey: .tls) ?? false
        tlsConfig = try container.decodeIfPresent(TLSConfig.self, forKey: .tlsConfig) ?? TLSConfig()
        ip.preferred = try container.decodeIfPresent(IPProtocol.self, forKey: .preferredIPProtocol) ?? .ip6
        ip.fallback = try container.decodeIfPresent(Bool.self, forKey: .ipProtocolFallback) ?? true
    }
}
