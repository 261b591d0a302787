/// Decides whether `/probe` may reach a target, so Outpost is never an open proxy: targets
/// listed in `targets:` always, others only when a `probe_endpoint.allowed_targets` regexp
/// matches the whole target or a CIDR range contains its host (a literal IP only; names
/// are not resolved here, since the answer could change before the probe connects).
///
/// Built once per config: the scheduled targets are kept as a set, so the check costs the
/// same with 10,000 targets as with one.
struct TargetPolicy: Sendable {
    private let scheduled: Set<String>
    private let rules: [ProbeEndpointConfig.TargetRule]
    private let urls = URLPartsCache(capacity: 10_000)

    init(config: ProbingConfig) {
        scheduled = Set(config.targets.map(\.target))
        rules = config.probeEndpoint.allowedTargets
    }

    func allows(_ target: String) -> Bool {
        if scheduled.contains(target) { return true }
        for rule in rules {
            switch rule {
            case .regex(let regex):
                if regex.matches(target) { return true }
            case .cidr(let cidr):
                if let host = host(of: target), let address = IPAddressBytes.parse(host), cidr.contains(address) { return true }
            }
        }
        return false
    }

    /// The host of a URL, `host:port`, `[v6]:port` or bare host.
    func host(of target: String) -> String? {
        if URLParts.hasScheme(target) { return urls.parts(of: target)?.host }
        if IPAddressBytes.parse(target) != nil { return target }
        return HostPort.split(target, defaultPort: 0)?.host
    }
}
