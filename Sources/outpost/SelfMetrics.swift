import OutpostCore
import OutpostMetrics

/// Outpost's own build and configuration metrics.
struct SelfMetrics: Sendable {
    private let reloadSuccessful: Gauge
    private let reloadTimestamp: Gauge

    init(registry: MetricsRegistry) throws {
        try registry.gauge("outpost_build_info", help: "A metric with a constant '1' value labeled by version, revision and swift_version from which Outpost was built.")
            .labels(["version": BuildInfo.version, "revision": BuildInfo.revision, "swift_version": BuildInfo.swiftVersion])
            .set(1)
        reloadSuccessful = try registry.gauge("outpost_config_last_reload_successful", help: "Whether the last configuration reload attempt was successful.").labels(Labels())
        reloadTimestamp = try registry.gauge("outpost_config_last_reload_success_timestamp_seconds", help: "Timestamp of the last successful configuration reload.").labels(Labels())
    }

    func recordReload(success: Bool, at now: UnixMillis) {
        reloadSuccessful.set(success ? 1 : 0)
        if success { reloadTimestamp.set(Double(now) / 1000) }
    }
}
