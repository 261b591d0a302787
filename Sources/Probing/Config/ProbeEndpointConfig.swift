import OutpostCore

/// The `probe_endpoint:` section: which targets `/probe` may reach.
///
/// `/probe` makes Outpost connect wherever a caller asks, so by default it only probes
/// targets already listed in `targets:`; `allowed_targets` widens that with regexps
/// (matched against the whole target) and CIDR ranges (matched against literal IPs and
/// the host of a URL when it is an IP).
public struct ProbeEndpointConfig: Decodable, Sendable {
    public var enabled = true
    public var allowedTargets: [TargetRule] = []

    public enum TargetRule: Sendable {
        case regex(ProbeRegex)
        case cidr(CIDR)
    }

    enum CodingKeys: String, CodingKey {
        case enabled
        case allowedTargets = "allowed_targets"
    }

    public init(enabled: Bool = true, allowedTargets: [TargetRule] = []) {
        self.enabled = enabled
        self.allowedTargets = allowedTargets
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        let texts = try container.decodeIfPresent([String].self, forKey: .allowedTargets) ?? []
        allowedTargets = try texts.map { text in
            if let cidr = CIDR(text) { return .cidr(cidr) }
            do {
                return .regex(try ProbeRegex("^(?:" + text + ")$"))
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .allowedTargets, in: container,
                                                       debugDescription: "\"\(text)\" is neither a CIDR range nor a regular expression")
            }
        }
    }
}
