import OutpostCore
import OutpostMetrics

/// The local store's own metrics at scrape time, named after Prometheus's `prometheus_tsdb_*`:
/// head series, WAL damage found at start, failed writes and fsyncs, the current segment, and
/// how long the replay took.
public struct LocalStorageCollector: MetricsCollector {
    private let storage: LocalStorageService

    public init(storage: LocalStorageService) {
        self.storage = storage
    }

    public func collect() -> [FamilySnapshot] {
        let wal = storage.head.walStats ?? WALStats()
        func family(_ name: String, _ help: String, _ type: MetricType, _ value: Double) -> FamilySnapshot {
            FamilySnapshot(name: name, help: help, type: type, series: [.init(labels: Labels(), value: .scalar(value))])
        }
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        return [
            family("outpost_tsdb_head_series", "Series in the local store's head.", .gauge, Double(storage.head.stats.series)),
            family("outpost_tsdb_wal_corruptions_total", "Damaged WAL records found (and cut off) by the replay at start.",
                   .counter, Double(storage.walReplay.corruptions.count)),
            family("outpost_tsdb_wal_writes_failed_total", "WAL writes and fsyncs that failed.",
                   .counter, Double(wal.writeFailures + wal.syncFailures)),
            family("outpost_tsdb_wal_segment_current", "Index of the WAL segment being written.", .gauge, Double(wal.segment)),
            family("outpost_tsdb_wal_replay_duration_seconds", "Time the WAL replay at start took.",
                   .gauge, seconds(storage.walReplay.duration)),
        ]
    }
}
