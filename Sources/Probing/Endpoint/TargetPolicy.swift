import Foundation

/// Decides whether `/probe` may reach a target, so Outpost is never an open proxy: targets
/// listed in `targets:` always, others only when a `probe_endpoint.allowed_targets` regexp
/// matches the whole target or a CIDR range contains its host (a literal IP only; names
/// are not resolved here, since the answer could change before the probe connects).
struct TargetPolicy {
    let config: ProbingConfig

    func allows(_ target: String) -> Bool {
        if config.targets.contains(where: { $0.target == target }) { return true }
        for rule in config.probeEndpoint.allowedTargets {
            switch rule {
            case .regex(let regex):
                if regex.matches(target) { return true }
            case .cidr(let cidr):
                if let host = Self.host(of: target), let address = IPAddressBytes.parse(host), cidr.contains(address) { return true }
            }
        }
        return false
    }

    /// The host of a URL, `host:port`, `[v6]:port` or bare host.
    static func host(of target: String) -> String? {
        if target.contains("://") { return URLComponents(string: target)?.host }
        if IPAddressBytes.parse(target) != nil { return target }
        return HostPort.split(target, defaultPort: 0)?.host
    }
}
