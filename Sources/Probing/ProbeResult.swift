import OutpostCore
import OutpostMetrics

/// The outcome of one probe: the verdict, the prober's metrics and what happened, in order.
public struct ProbeResult: Sendable {
    public var success: Bool
    public var failureReason: FailureReason?
    /// Seconds from start to end, as `probe_duration_seconds` reports it; set by `ProbeRunner`.
    public var duration: Double
    /// The prober's own families (`probe_http_*`, `probe_dns_*`, ...), without the common ones.
    public var families: [FamilySnapshot]
    public var log: [String]

    public init(success: Bool = false, failureReason: FailureReason? = nil, duration: Double = 0,
                families: [FamilySnapshot] = [], log: [String] = []) {
        self.success = success
        self.failureReason = failureReason
        self.duration = duration
        self.families = families
        self.log = log
    }

    /// Sets a gauge, creating its family on first use.
    public mutating func gauge(_ name: String, _ help: String, _ value: Double, labels: Labels = Labels()) {
        let series = FamilySnapshot.Series(labels: labels, value: .scalar(value))
        if let index = families.firstIndex(where: { $0.name == name }) {
            families[index].series.append(series)
        } else {
            families.append(FamilySnapshot(name: name, help: help, type: .gauge, series: [series]))
        }
    }

    /// Marks the probe failed for `reason`, keeping the first reason given.
    public mutating func fail(_ reason: FailureReason, _ message: String) {
        success = false
        if failureReason == nil { failureReason = reason }
        log.append("probe failed (\(reason.rawValue)): \(message)")
    }

    /// All families a scrape of this probe shows: the prober's plus success, duration and
    /// failure reason, sorted by name.
    public var allFamilies: [FamilySnapshot] {
        var result = self
        result.gauge("probe_success", "Displays whether or not the probe was a success", success ? 1 : 0)
        result.gauge("probe_duration_seconds", "Returns how long the probe took to complete in seconds", duration)
        if !success {
            result.gauge("probe_failure_info", "Why the probe failed", 1,
                         labels: ["reason": (failureReason ?? .protocolError).rawValue])
        }
        return result.families.sorted { $0.name < $1.name }
    }
}
