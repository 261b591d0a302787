import Foundation
import Logging
import OutpostCore
import TSDB

/// The head's write-ahead log: append throughput with the WAL on (one commit per scrape of all
/// series, as `ScrapeAppender` does) and replay speed at start.
enum TSDBBenchmarks {
    static let seriesCount = PromQLBenchmarks.seriesCount
    static let steps = 100

    static var cases: [BenchmarkCase] { [
        BenchmarkCase(name: "tsdb.append_wal.10k_series_x_100", operationsPerRun: seriesCount * steps, operationName: "sample") {
            let labels = PromQLBenchmarks.makeLabels()
            return {
                let directory = temporaryDirectory()
                defer { try? FileManager.default.removeItem(at: directory) }
                let head = Head()
                try? head.attachWAL(directory: directory)
                fill(head, labels)
            }
        },
        BenchmarkCase(name: "tsdb.wal_replay.10k_series_x_100", operationsPerRun: seriesCount * steps, operationName: "sample") {
            let directory = temporaryDirectory()
            let head = Head()
            try? head.attachWAL(directory: directory.appendingPathComponent(LocalStorageService.walDirectoryName))
            fill(head, PromQLBenchmarks.makeLabels())
            let clock = ManualClock(now: Int64(steps) * PromQLBenchmarks.interval)
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            return {
                let storage = LocalStorageService(directory: directory, interval: .seconds(15), retention: .seconds(86_400),
                                                  clock: clock, logger: logger) { [] }
                precondition(storage.walReplay.samples == seriesCount * steps)
            }
        },
    ] }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("outpost-bench-wal-\(UUID().uuidString)")
    }

    /// 100 scrapes of every series, each scrape one commit.
    static func fill(_ head: Head, _ labels: [Labels]) {
        var refs: [SeriesRef] = []
        refs.reserveCapacity(labels.count)
        for series in labels { refs.append((try? head.append(series, 0, 0)) ?? -1) }
        head.commit()
        for step in 1..<steps {
            let t = Int64(step) * PromQLBenchmarks.interval
            for (index, ref) in refs.enumerated() {
                try? head.append(ref: ref, t, Double(step * (index % 7 + 1)))
            }
            head.commit()
        }
    }
}
