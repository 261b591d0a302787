import OutpostCore

/// One entry of `modules:`, in blackbox_exporter's format.
public struct ModuleConfig: Decodable, Sendable {
    public enum Prober: String, Decodable, Sendable, CaseIterable {
        case http, tcp, udp, dns, icmp
    }

    public var prober: Prober
    /// Nil leaves the timeout to the scrape (on demand) or the interval (scheduled).
    public var timeout: Duration?
    public var http = HTTPProbeConfig()
    public var tcp = TCPProbeConfig()
    public var udp = UDPProbeConfig()
    public var dns: DNSProbeConfig?
    public var icmp = ICMPProbeConfig()

    enum CodingKeys: String, CodingKey {
        case prober, timeout, http, tcp, udp, dns, icmp
    }

    public init(prober: Prober, timeout: Duration? = nil) {
        self.prober = prober
        self.timeout = timeout
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .prober)
        guard let prober = Prober(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: .prober, in: container, debugDescription:
                "unknown prober \"\(name)\" (known: \(Prober.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.prober = prober
        timeout = try container.decodeDuration(forKey: .timeout)
        if let timeout { try container.check(timeout > .zero, forKey: .timeout, "must be greater than 0") }
        http = try container.decodeIfPresent(HTTPProbeConfig.self, forKey: .http) ?? HTTPProbeConfig()
        tcp = try container.decodeIfPresent(TCPProbeConfig.self, forKey: .tcp) ?? TCPProbeConfig()
        udp = try container.decodeIfPresent(UDPProbeConfig.self, forKey: .udp) ?? UDPProbeConfig()
        dns = try container.decodeIfPresent(DNSProbeConfig.self, forKey: .dns)
        icmp = try container.decodeIfPresent(ICMPProbeConfig.self, forKey: .icmp) ?? ICMPProbeConfig()
        try container.check(prober != .dns || dns != nil, forKey: .prober, "a dns module needs a dns section with query_name")
    }
}
