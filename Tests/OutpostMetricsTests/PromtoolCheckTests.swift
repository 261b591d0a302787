import Foundation
import OutpostCore
import OutpostMetrics
import OutpostTestSupport
import Testing

/// Feeds the exposition through Prometheus's own linter. CI installs promtool (Debian's
/// `prometheus` package); where it is missing outside CI the test says so and stops.
@Suite struct PromtoolCheckTests {
    @Test func promtoolAcceptsEveryKindOfMetric() throws {
        guard Promtool.isRequired else {
            print("promtool not installed: skipping the promtool check (CI installs it)")
            return
        }
        let registry = MetricsRegistry()
        try registry.counter("outpost_test_requests_total", help: "Requests served.").labels(["code": "200", "text": "a \"quoted\"\nline\\"]).increment(by: 5)
        try registry.gauge("outpost_test_temperature_celsius", help: "Temperature.").labels(["room": "a"]).set(-.infinity)
        try registry.gauge("outpost_test_ratio", help: "A NaN.").labels(Labels()).set(.nan)
        try registry.histogram("outpost_test_latency_seconds", help: "Latency.").labels(["op": "get"]).observe(0.3)
        try registry.summary("outpost_test_size_bytes", help: "Sizes.").labels(["op": "put"]).observe(1_234)
        registry.register(collector: ProcessCollector(), key: "process")
        let result = try Promtool.run(["check", "metrics"], input: ExpositionEncoder.encode(registry, format: .text))
        #expect(result.status == 0, "promtool check metrics said: \(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "lint problems: \(result.output)")
    }
}
