/// The `udp:` section (Outpost's own): send a payload, optionally expect a reply.
public struct UDPProbeConfig: Decodable, Sendable {
    public var ip = IPSettings()
    public var payload: [UInt8] = []
    public var expect: ProbeRegex?
    public var expectBytes: [UInt8]?

    enum CodingKeys: String, CodingKey {
        case payload, expect
        case expectBytes = "expect_bytes"
        case preferredIPProtocol = "preferred_ip_protocol"
        case ipProtocolFallback = "ip_protocol_fallback"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        payload = Array((try container.decodeIfPresent(String.self, forKey: .payload) ?? "").utf8)
        expect = try container.decodeIfPresent(ProbeRegex.self, forKey: .expect)
        expectBytes = try container.decodeIfPresent(String.self, forKey: .expectBytes).map { Array($0.utf8) }
        ip.preferred = try container.decodeIfPresent(IPProtocol.self, forKey: .preferredIPProtocol) ?? .ip6
        ip.fallback = try container.decodeIfPresent(Bool.self, forKey: .ipProtocolFallback) ?? true
    }
}
