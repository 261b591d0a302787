import Foundation
import OutpostCore
import OutpostMetrics
import Testing

@Suite struct ExpositionTests {
    private func text(_ registry: MetricsRegistry, _ format: ExpositionFormat = .text) -> String {
        String(decoding: ExpositionEncoder.encode(registry, format: format), as: UTF8.self)
    }

    @Test func writesTextFormatWithHelpTypeAndEscapes() throws {
        let registry = MetricsRegistry()
        try registry.counter("http_requests_total", help: "Requests.\nSecond line with \\ backslash.")
            .labels(["code": "200", "path": "/a\"b"]).increment(by: 1_027)
        try registry.gauge("temperature", help: "").labels(Labels()).set(-0.5)
        let expected = """
        # HELP http_requests_total Requests.\\nSecond line with \\\\ backslash.
        # TYPE http_requests_total counter
        http_requests_total{code="200",path="/a\\"b"} 1027
        # TYPE temperature gauge
        temperature -0.5

        """
        #expect(text(registry) == expected)
    }

    @Test func writesHistogramsAndSummaries() throws {
        let registry = MetricsRegistry()
        let histogram = try registry.histogram("rpc_seconds", help: "RPC latency.", buckets: [0.1, 1])
        histogram.labels(["svc": "a"]).observe(0.05)
        histogram.labels(["svc": "a"]).observe(2)
        let summary = try registry.summary("size_bytes", help: "Sizes.", objectives: [(0.5, 0.05)])
        summary.labels(Labels()).observe(10)
        let expected = """
        # HELP rpc_seconds RPC latency.
        # TYPE rpc_seconds histogram
        rpc_seconds_bucket{svc="a",le="0.1"} 1
        rpc_seconds_bucket{svc="a",le="1"} 1
        rpc_seconds_bucket{svc="a",le="+Inf"} 2
        rpc_seconds_sum{svc="a"} 2.05
        rpc_seconds_count{svc="a"} 2
        # HELP size_bytes Sizes.
        # TYPE size_bytes summary
        size_bytes{quantile="0.5"} 10
        size_bytes_sum 10
        size_bytes_count 1

        """
        #expect(text(registry) == expected)
    }

    @Test func writesOpenMetrics() throws {
        let registry = MetricsRegistry()
        try registry.counter("jobs_total", help: "Jobs \"done\".").labels(["q": "x"]).increment(by: 3)
        try registry.counter("errors", help: "").labels(Labels()).increment()
        try registry.histogram("wait_seconds", help: "", buckets: [1]).labels(Labels()).observe(0.5)
        registry.register(collector: Untyped(), key: "u")
        let expected = """
        # TYPE errors counter
        errors_total 1.0
        # HELP jobs Jobs \\"done\\".
        # TYPE jobs counter
        jobs_total{q="x"} 3.0
        # TYPE legacy unknown
        legacy NaN
        # TYPE wait_seconds histogram
        wait_seconds_bucket{le="1.0"} 1
        wait_seconds_bucket{le="+Inf"} 1
        wait_seconds_sum 0.5
        wait_seconds_count 1
        # EOF

        """
        #expect(text(registry, .openMetrics) == expected)
    }

    /// Summaries of one family may carry different quantiles (collectors build them freely);
    /// each line keeps its own `quantile` label, and histograms with other bounds their own `le`.
    @Test func seriesWithDifferentLayoutsKeepTheirOwnLabels() throws {
        let registry = MetricsRegistry()
        registry.register(collector: MixedLayouts(), key: "mixed")
        let expected = """
        # TYPE mixed_seconds summary
        mixed_seconds{a="1",quantile="0.5"} 1
        mixed_seconds{a="1",quantile="0.9"} 2
        mixed_seconds_sum{a="1"} 3
        mixed_seconds_count{a="1"} 2
        mixed_seconds{a="2",quantile="0.99"} 4
        mixed_seconds_sum{a="2"} 4
        mixed_seconds_count{a="2"} 1
        mixed_seconds{a="3",quantile="0.5"} 5
        mixed_seconds{a="3",quantile="0.9"} 6
        mixed_seconds_sum{a="3"} 11
        mixed_seconds_count{a="3"} 2
        # TYPE mixed_size histogram
        mixed_size_bucket{b="1",le="1"} 1
        mixed_size_bucket{b="1",le="+Inf"} 1
        mixed_size_sum{b="1"} 0.5
        mixed_size_count{b="1"} 1
        mixed_size_bucket{b="2",le="2"} 0
        mixed_size_bucket{b="2",le="4"} 1
        mixed_size_bucket{b="2",le="+Inf"} 1
        mixed_size_sum{b="2"} 3
        mixed_size_count{b="2"} 1

        """
        #expect(text(registry) == expected)
    }

    private struct MixedLayouts: MetricsCollector {
        func collect() -> [FamilySnapshot] {
            func summary(_ quantiles: [(Double, Double)], sum: Double, count: UInt64) -> MetricValue {
                .summary(SummarySample(quantiles: quantiles.map { .init(quantile: $0.0, value: $0.1) }, sum: sum, count: count))
            }
            func histogram(_ bounds: [Double], _ counts: [UInt64], sum: Double) -> MetricValue {
                .histogram(HistogramSample(upperBounds: bounds, cumulativeCounts: counts, sum: sum, count: counts.last ?? 0))
            }
            return [
                FamilySnapshot(name: "mixed_seconds", help: "", type: .summary, series: [
                    .init(labels: ["a": "1"], value: summary([(0.5, 1), (0.9, 2)], sum: 3, count: 2)),
                    .init(labels: ["a": "2"], value: summary([(0.99, 4)], sum: 4, count: 1)),
                    .init(labels: ["a": "3"], value: summary([(0.5, 5), (0.9, 6)], sum: 11, count: 2)),
                ]),
                FamilySnapshot(name: "mixed_size", help: "", type: .histogram, series: [
                    .init(labels: ["b": "1"], value: histogram([1, .infinity], [1, 1], sum: 0.5)),
                    .init(labels: ["b": "2"], value: histogram([2, 4, .infinity], [0, 1, 1], sum: 3)),
                ]),
            ]
        }
    }

    private struct Untyped: MetricsCollector {
        func collect() -> [FamilySnapshot] {
            [FamilySnapshot(name: "legacy", help: "", type: .untyped, series: [.init(labels: Labels(), value: .scalar(.nan))])]
        }
    }

    @Test(arguments: [
        (1_000_000, "1e+06"), (123_456, "123456"), (1_234_567, "1.234567e+06"), (0.0001, "0.0001"),
        (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (0.1, "0.1"), (100, "100"), (-2.5, "-2.5"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (123456.7, "123456.7"), (1e21, "1e+21"),
        (0.30000000000000004, "0.30000000000000004"), (0.25, "0.25"), (12.5, "12.5"), (-0.001, "-0.001"),
        (999_999.999, "999999.999"), (0.0015, "0.0015"), (0.1 + 0.2, "0.30000000000000004"), (1e-3, "0.001"),
    ] as [(Double, String)])
    func formatsValuesAsGoClientsDo(value: Double, expected: String) throws {
        let registry = MetricsRegistry()
        try registry.gauge("g", help: "").labels(Labels()).set(value)
        #expect(text(registry) == "# TYPE g gauge\ng \(expected)\n")
    }

    @Test func everyValueReadsBackExactly() throws {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = (0..<500).map { _ in Double(Int.random(in: -5_000_000...5_000_000, using: &generator)) / 1000 }
        values += (0..<500).map { _ in Double.random(in: -1e7...1e7, using: &generator) }
        values += (0..<200).map { _ in Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator)) }.filter(\.isFinite)
        for value in values {
            let registry = MetricsRegistry()
            try registry.gauge("g", help: "").labels(Labels()).set(value)
            let line = text(registry).split(separator: "\n")[1]
            let printed = String(line.split(separator: " ")[1])
            #expect(Double(printed) == value, "\(value) printed as \(printed)")
        }
    }

    @Test(arguments: [
        (nil, ExpositionFormat.text),
        ("text/plain", .text),
        ("application/openmetrics-text; version=1.0.0", .openMetrics),
        ("application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", .openMetrics),
        ("application/openmetrics-text;version=2.0.0", .text),
        ("text/plain;q=0.9, application/openmetrics-text;q=1", .openMetrics),
        ("application/json", .text),
    ] as [(String?, ExpositionFormat)])
    func negotiatesLikeClientGolang(accept: String?, expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == expected)
    }

    @Test func largeOutputsStreamInChunks() throws {
        let registry = MetricsRegistry()
        let family = try registry.counter("many_total", help: "")
        for index in 0..<5_000 { family.labels(["i": "\(index)"]).increment() }
        var chunks = 0
        var total: [UInt8] = []
        var encoder = ExpositionEncoder(format: .text, chunkSize: 4_096) { chunk in
            chunks += 1
            total.append(contentsOf: chunk)
        }
        registry.visit(&encoder)
        encoder.finish()
        #expect(chunks > 10)
        #expect(total == ExpositionEncoder.encode(registry, format: .text))
    }
}
