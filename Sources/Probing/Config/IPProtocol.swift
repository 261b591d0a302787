/// Which address family a prober resolves to first, as blackbox's `preferred_ip_protocol`.
public enum IPProtocol: String, Decodable, Sendable {
    case ip4
    case ip6

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "ip4", "ipv4", "IPv4", "ip4only": self = .ip4
        case "ip6", "ipv6", "IPv6": self = .ip6
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not ip4 or ip6"))
        }
    }

    /// The value of `probe_ip_protocol`.
    public var number: Double { self == .ip4 ? 4 : 6 }
}

/// The resolution settings every network prober shares.
public struct IPSettings: Sendable {
    public var preferred: IPProtocol = .ip6
    public var fallback = true

    public init(preferred: IPProtocol = .ip6, fallback: Bool = true) {
        self.preferred = preferred
        self.fallback = fallback
    }
}
