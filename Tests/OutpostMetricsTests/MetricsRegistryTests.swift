import OutpostCore
import OutpostMetrics
import Testing

@Suite struct MetricsRegistryTests {
    @Test func returnsTheSameFamilyForTheSameNameAndType() throws {
        let registry = MetricsRegistry()
        let first = try registry.counter("requests_total", help: "h")
        first.labels(["path": "/"]).increment()
        try registry.counter("requests_total", help: "h").labels(["path": "/"]).increment()
        #expect(first.labels(["path": "/"]).value == 2)
    }

    @Test func refusesANameTakenByAnotherType() throws {
        let registry = MetricsRegistry()
        _ = try registry.counter("x", help: "")
        #expect(throws: MetricsRegistryError.conflict(name: "x", existing: "x", existingType: .counter)) {
            try registry.gauge("x", help: "")
        }
    }

    @Test func refusesSeriesNamesAHistogramAdds() throws {
        let registry = MetricsRegistry()
        _ = try registry.histogram("latency", help: "")
        #expect(throws: MetricsRegistryError.conflict(name: "latency_count", existing: "latency", existingType: .histogram)) {
            try registry.counter("latency_count", help: "")
        }
        _ = try registry.gauge("size_sum", help: "")
        #expect(throws: MetricsRegistryError.conflict(name: "size", existing: "size_sum", existingType: .gauge)) {
            try registry.summary("size", help: "")
        }
        #expect(throws: MetricsRegistryError.invalidName("9lives")) { try registry.gauge("9lives", help: "") }
    }

    @Test func expiresSeriesNotTouchedWithinTheirTTL() throws {
        let registry = MetricsRegistry()
        let family = try registry.gauge("statsd_gauge", help: "")
        let kept = family.labels(["k": "permanent"])
        let fresh = family.labels(["k": "fresh"], ttl: .seconds(60), now: 0)
        _ = family.labels(["k": "stale"], ttl: .seconds(60), now: 0)
        kept.set(1)
        fresh.touch(at: 50_000)
        let removed = registry.removeExpired(now: 60_000)
        #expect(removed.map(\.labels) == [["k": "stale"]])
        #expect(family.seriesCount == 2)
        #expect(registry.removeExpired(now: 110_000).map(\.labels) == [["k": "fresh"]])
        #expect(family.existing(["k": "permanent"]) != nil)
    }

    @Test func snapshotMergesCollectorsAndSortsFamiliesByName() throws {
        struct Fixed: MetricsCollector {
            func collect() -> [FamilySnapshot] {
                [FamilySnapshot(name: "b_metric", help: "from collector", type: .gauge, series: [.init(labels: ["x": "1"], value: .scalar(7))])]
            }
        }
        let registry = MetricsRegistry()
        try registry.gauge("c_metric", help: "").labels(Labels()).set(3)
        try registry.counter("a_total", help: "").labels(Labels()).increment()
        registry.register(collector: Fixed(), key: "fixed")
        let snapshot = registry.snapshot()
        #expect(snapshot.map(\.name) == ["a_total", "b_metric", "c_metric"])
        #expect(snapshot[1].series == [.init(labels: ["x": "1"], value: .scalar(7))])
        registry.unregisterCollector(key: "fixed")
        #expect(registry.snapshot().map(\.name) == ["a_total", "c_metric"])
    }

    @Test func concurrentWritersAndReadersSeeConsistentValues() async throws {
        let registry = MetricsRegistry()
        let family = try registry.counter("hits_total", help: "")
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<2_000 { family.labels(["w": "\(writer)", "i": "\(index % 50)"]).increment() }
                }
            }
            group.addTask {
                for _ in 0..<20 { _ = ExpositionEncoder.encode(registry, format: .text) }
            }
        }
        let total = registry.snapshot()[0].series.reduce(0.0) { sum, series in
            if case .scalar(let value) = series.value { return sum + value }
            return sum
        }
        #expect(total == 8_000)
        #expect(family.seriesCount == 200)
    }
}
