import OutpostCore

/// The `icmp:` section; `packets` above 1 is Outpost's own and adds loss and rtt statistics.
public struct ICMPProbeConfig: Decodable, Sendable {
    public var ip = IPSettings()
    public var payloadSize = 0
    public var ttl = 64
    public var packets = 1
    public var packetInterval: Duration = .milliseconds(100)

    enum CodingKeys: String, CodingKey {
        case ttl, packets
        case payloadSize = "payload_size"
        case packetInterval = "packet_interval"
        case preferredIPProtocol = "preferred_ip_protocol"
        case ipProtocolFallback = "ip_protocol_fallback"
        case dontFragment = "dont_fragment"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        payloadSize = try container.decodeIfPresent(Int.self, forKey: .payloadSize) ?? 0
        try container.check((0...65000).contains(payloadSize), forKey: .payloadSize, "must be between 0 and 65000")
        ttl = try container.decodeIfPresent(Int.self, forKey: .ttl) ?? 64
        try container.check((1...255).contains(ttl), forKey: .ttl, "must be between 1 and 255")
        packets = try container.decodeIfPresent(Int.self, forKey: .packets) ?? 1
        try container.check((1...100).contains(packets), forKey: .packets, "must be between 1 and 100")
        packetInterval = try container.decodeDuration(forKey: .packetInterval) ?? packetInterval
        ip.preferred = try container.decodeIfPresent(IPProtocol.self, forKey: .preferredIPProtocol) ?? .ip6
        ip.fallback = try container.decodeIfPresent(Bool.self, forKey: .ipProtocolFallback) ?? true
        if try container.decodeIfPresent(Bool.self, forKey: .dontFragment) == true {
            throw DecodingError.dataCorruptedError(forKey: .dontFragment, in: container, debugDescription: "dont_fragment is not supported")
        }
    }
}
