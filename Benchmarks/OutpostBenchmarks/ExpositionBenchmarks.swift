import OutpostCore
import OutpostMetrics

/// Rendering `/metrics`: 100,000 series of mixed types with three labels each.
enum ExpositionBenchmarks {
    static var cases: [BenchmarkCase] { [
        BenchmarkCase(name: "exposition.text.100k_series", operationsPerRun: 100_000, operationName: "series") {
            render(format: .text)
        },
        BenchmarkCase(name: "exposition.openmetrics.100k_series", operationsPerRun: 100_000, operationName: "series") {
            render(format: .openMetrics)
        },
        // Summaries reuse their quantiles until observed; here each of the 10,000 gets an
        // observation before every render (timed too), so all recompute theirs.
        BenchmarkCase(name: "exposition.text.100k_series_summaries_observed", operationsPerRun: 100_000, operationName: "series") {
            renderObservingSummaries()
        },
    ] }

    /// A registry of 100,000 series: 40% counters, 40% gauges, 10% histograms, 10% summaries.
    static func makeRegistry() -> MetricsRegistry {
        let registry = MetricsRegistry()
        let counters = try! registry.counter("bench_requests_total", help: "Requests handled.")
        let gauges = try! registry.gauge("bench_queue_depth", help: "Items waiting.")
        let histograms = try! registry.histogram("bench_latency_seconds", help: "Request latency.")
        let summaries = try! registry.summary("bench_size_bytes", help: "Payload sizes.")
        for index in 0..<100_000 {
            let labels: Labels = ["service": "svc\(index % 50)", "instance": "host\(index % 997)", "path": "/p\(index)"]
            switch index % 10 {
            case 0..<4: counters.labels(labels).increment(by: Double(index))
            case 4..<8: gauges.labels(labels).set(Double(index) * 0.25)
            case 8: histograms.labels(labels).observe(Double(index % 100) / 100)
            default: summaries.labels(labels).observe(Double(index))
            }
        }
        return registry
    }

    static func renderObservingSummaries() -> () -> Void {
        let registry = makeRegistry()
        let family = try! registry.summary("bench_size_bytes", help: "Payload sizes.")
        let summaries = (0..<100_000).filter { $0 % 10 == 9 }.compactMap { index in
            family.existing(["service": "svc\(index % 50)", "instance": "host\(index % 997)", "path": "/p\(index)"])
        }
        precondition(summaries.count == 10_000)
        var round = 0.0
        return {
            round += 1
            for summary in summaries { summary.observe(round) }
            var bytes = 0
            ExpositionEncoder.write(registry, format: .text) { bytes += $0.count }
            precondition(bytes > 0)
        }
    }

    static func render(format: ExpositionFormat) -> () -> Void {
        let registry = makeRegistry()
        return {
            var bytes = 0
            ExpositionEncoder.write(registry, format: format) { bytes += $0.count }
            precondition(bytes > 0)
        }
    }
}
