/// Records where a probe's host resolved to, as every network prober reports it.
extension ProbeResult {
    mutating func record(_ resolution: HostResolver.Resolution, host: String) {
        gauge("probe_dns_lookup_time_seconds", "Returns the time taken for probe dns lookup in seconds", resolution.lookupSeconds)
        gauge("probe_ip_protocol", "Specifies whether probe ip protocol is IP4 or IP6", resolution.ipProtocol.number)
        gauge("probe_ip_addr_hash", "Specifies the hash of IP address. It's useful to detect if the IP address changes.",
              IPAddressHash.fnv32a(resolution.address.ipAddress ?? host))
    }
}

extension HostResolver {
    /// Resolves a probe's host and records the outcome in `result`: where it went, or the failure
    /// (`timeout` once the deadline has passed, `dns` otherwise), in which case it returns nil.
    func resolve(_ host: String, port: Int, settings: IPSettings, deadline: MonotonicTime,
                 recordingIn result: inout ProbeResult) async -> Resolution? {
        do {
            let resolution = try await resolve(host, port: port, settings: settings, deadline: deadline)
            result.record(resolution, host: host)
            return resolution
        } catch {
            result.fail(error is DeadlineExceeded ? .timeout : .dns, "resolving \(host): \(error)")
            return nil
        }
    }
}
