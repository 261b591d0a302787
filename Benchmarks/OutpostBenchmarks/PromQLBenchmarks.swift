import Foundation
import OutpostCore
import PromQL
import TSDB

/// The TSDB head and the PromQL engine: append throughput, compression and a dashboard-style query.
enum PromQLBenchmarks {
    static let seriesCount = 10_000
    /// One hour of samples at a 15s scrape interval.
    static let samplesPerSeries = 240
    static let interval: Int64 = 15_000
    /// The first sample's time: one hour after the epoch, so the range query starts at a positive time.
    static let firstTimestamp: Int64 = 3_600_000
    /// The last sample's time, where the instant query runs and the range query ends.
    static let lastTimestamp = firstTimestamp + Int64(samplesPerSeries - 1) * interval
    static let query = "sum by (job) (rate(x[5m]))"

    static var cases: [BenchmarkCase] { [
        BenchmarkCase(name: "tsdb.append.10k_series_x_100", operationsPerRun: seriesCount * 100, operationName: "sample") {
            let labels = makeLabels()
            return {
                let head = Head()
                var refs: [SeriesRef] = []
                refs.reserveCapacity(labels.count)
                for series in labels { refs.append((try? head.append(series, 0, 0)) ?? -1) }
                for step in 1..<100 {
                    let t = Int64(step) * interval
                    for (index, ref) in refs.enumerated() {
                        try? head.append(ref: ref, t, Double(step * (index % 7 + 1)))
                    }
                }
            }
        },
        BenchmarkCase(name: "tsdb.head_bytes_per_sample.10k_series_1h", operationsPerRun: 1, operationName: "head") {
            let residentBefore = residentBytes()
            let head = makeHead()
            let liveBytes = Double(residentBytes() - residentBefore)
            let stats = head.stats
            print(String(format: "tsdb.head_bytes_per_sample: %d samples; chunk bytes %.2f/sample; resident memory growth (series, labels, index, allocator slack) %.2f/sample",
                         stats.samples, Double(stats.chunkBytes) / Double(stats.samples), liveBytes / Double(stats.samples)))
            return { _ = head.stats }
        },
        BenchmarkCase(name: "promql.sum_by_job_rate_5m.instant", operationsPerRun: 1, operationName: "query") {
            let engine = Engine(queryable: makeHead())
            return {
                let result = try? engine.instantQuery(query, at: lastTimestamp)
                precondition(result != nil)
            }
        },
        BenchmarkCase(name: "promql.sum_by_job_rate_5m.range_1h_step_15s", operationsPerRun: 1, operationName: "query") {
            let engine = Engine(queryable: makeHead())
            return {
                let result = try? engine.rangeQuery(query, start: lastTimestamp - 3_600_000, end: lastTimestamp, step: interval)
                precondition(result != nil)
            }
        },
    ] }

    /// Resident set size from /proc/self/statm (Linux), in bytes.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func makeLabels() -> [Labels] {
        (0..<seriesCount).map { index in
            ["__name__": "x", "job": "job\(index % 10)", "instance": "host\(index):9100"]
        }
    }

    /// Counters that grow by a pseudo-random whole number per scrape, as request counters do.
    static func makeHead() -> Head {
        let head = Head()
        forEachSeries { labels, values in
            guard let ref = try? head.append(labels, firstTimestamp, values[0]) else { return }
            for (step, value) in values.enumerated().dropFirst() {
                try? head.append(ref: ref, firstTimestamp + Int64(step) * interval, value)
            }
        }
        return head
    }

    /// Each series' labels and its values, one per interval from `firstTimestamp`.
    static func forEachSeries(_ body: (Labels, [Double]) throws -> Void) rethrows {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        var values: [Double] = []
        values.reserveCapacity(samplesPerSeries)
        for labels in makeLabels() {
            values.removeAll(keepingCapacity: true)
            var value = 0.0
            values.append(value)
            for _ in 1..<samplesPerSeries {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                value += Double((state >> 33) % 50)
                values.append(value)
            }
            try body(labels, values)
        }
    }

    /// The same samples as OpenMetrics text, for Prometheus to load with
    /// `promtool tsdb create-blocks-from openmetrics` (Benchmarks/side-by-side/query-vs-prometheus.sh).
    static func writeOpenMetrics(to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? file.close() }
        var text = "# TYPE x unknown\n"
        try forEachSeries { labels, values in
            let selector = "x{" + labels.filter { $0.name != Labels.metricName }.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",") + "} "
            for (step, value) in values.enumerated() {
                text += selector + String(Int(value)) + " " + String((firstTimestamp + Int64(step) * interval) / 1000) + "\n"
            }
            if text.utf8.count > 1 << 20 {
                try file.write(contentsOf: Data(text.utf8))
                text.removeAll(keepingCapacity: true)
            }
        }
        text += "# EOF\n"
        try file.write(contentsOf: Data(text.utf8))
    }
}
