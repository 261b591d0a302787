/// Records where a probe's host resolved to, as every network prober reports it.
extension ProbeResult {
    mutating func record(_ resolution: HostResolver.Resolution, host: String) {
        gauge("probe_dns_lookup_time_seconds", "Returns the time taken for probe dns lookup in seconds", resolution.lookupSeconds)
        gauge("probe_ip_protocol", "Specifies whether probe ip protocol is IP4 or IP6", resolution.ipProtocol.number)
        gauge("probe_ip_addr_hash", "Specifies the hash of IP address. It's useful to detect if the IP address changes.",
              IPAddressHash.fnv32a(resolution.address.ipAddress ?? host))
    }
}
