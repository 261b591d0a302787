import OutpostCore
import OutpostMetrics

/// The outcome of one probe: the verdict, the prober's metrics and what happened, in order.
public struct ProbeResult: Sendable {
    public var success: Bool
    public var failureReason: FailureReason?
    /// Seconds from start to end, as `probe_duration_seconds` reports it; set by `ProbeRunner`.
    public var duration: Double
    /// The prober's own gauges (`probe_http_*`, `probe_dns_*`, ...) in the order set, without
    /// the common ones. One flat array rather than families of series, so building a result
    /// and keeping thousands of them in scheduler history costs one allocation for metrics.
    var gauges: [Gauge]
    public var log: [String]

    /// One gauge series; names and help texts are the probers' string literals, so they cost
    /// no allocation.
    struct Gauge: Sendable {
        var name: String
        var help: String
        var labels: Labels
        var value: Double
    }

    public init(success: Bool = false, failureReason: FailureReason? = nil, duration: Double = 0, log: [String] = []) {
        self.success = success
        self.failureReason = failureReason
        self.duration = duration
        self.gauges = []
        self.log = log
    }

    /// Sets a gauge; a name used again adds a series to the same family.
    public mutating func gauge(_ name: String, _ help: String, _ value: Double, labels: Labels = Labels()) {
        gauges.append(Gauge(name: name, help: help, labels: labels, value: value))
    }

    /// Drops every series of the family `name`.
    mutating func removeGauges(named name: String) {
        gauges.removeAll { $0.name == name }
    }

    /// Marks the probe failed for `reason`, keeping the first reason given.
    public mutating func fail(_ reason: FailureReason, _ message: String) {
        success = false
        if failureReason == nil { failureReason = reason }
        log.append("probe failed (\(reason.rawValue)): \(message)")
    }

    /// The prober's own families, in the order first set.
    public var families: [FamilySnapshot] {
        Self.group(gauges)
    }

    /// All families a scrape of this probe shows: the prober's plus success, duration and
    /// failure reason, sorted by name.
    public var allFamilies: [FamilySnapshot] {
        Self.group(allGaugesSorted)
    }

    /// Every gauge of `allFamilies`, sorted by family name (stable, so series keep their order).
    var allGaugesSorted: [Gauge] {
        var all = gauges
        all.reserveCapacity(gauges.count + 3)
        all.append(Gauge(name: "probe_success", help: "Displays whether or not the probe was a success",
                         labels: Labels(), value: success ? 1 : 0))
        all.append(Gauge(name: "probe_duration_seconds", help: "Returns how long the probe took to complete in seconds",
                         labels: Labels(), value: duration))
        if !success {
            all.append(Gauge(name: "probe_failure_info", help: "Why the probe failed",
                             labels: Labels(sortedUnique: [Label("reason", (failureReason ?? .protocolError).rawValue)]), value: 1))
        }
        // Insertion sort: a few dozen gauges at most, mostly already in runs of one name.
        for index in all.indices.dropFirst() {
            var position = index
            let gauge = all[index]
            while position > 0, gauge.name < all[position - 1].name {
                all[position] = all[position - 1]
                position -= 1
            }
            all[position] = gauge
        }
        return all
    }

    /// Gauges grouped into families by name, in the order each name first appears.
    private static func group(_ gauges: [Gauge]) -> [FamilySnapshot] {
        var families: [FamilySnapshot] = []
        for gauge in gauges {
            let series = FamilySnapshot.Series(labels: gauge.labels, value: .scalar(gauge.value))
            if let index = families.lastIndex(where: { $0.name == gauge.name }) {
                families[index].series.append(series)
            } else {
                families.append(FamilySnapshot(name: gauge.name, help: gauge.help, type: .gauge, series: [series]))
            }
        }
        return families
    }
}
