import OutpostCore
import OutpostMetrics
import Testing

@Suite struct FamilySamplesTests {
    @Test func flattensHistogramsLikeAScrapeWithExtraLabelsNotOverriding() throws {
        let registry = MetricsRegistry()
        try registry.histogram("lat_seconds", help: "", buckets: [1]).labels(["instance": "probe-target"]).observe(0.5)
        try registry.gauge("up_gauge", help: "").labels(Labels()).set(3)
        let samples = registry.snapshot().flatMap { $0.samples(adding: ["job": "outpost", "instance": "127.0.0.1:9393"]) }
        let byLabels = Dictionary(uniqueKeysWithValues: samples.map { ($0.labels, $0.value) })
        #expect(byLabels[["__name__": "lat_seconds_bucket", "le": "1.0", "instance": "probe-target", "job": "outpost"]] == 1)
        #expect(byLabels[["__name__": "lat_seconds_bucket", "le": "+Inf", "instance": "probe-target", "job": "outpost"]] == 1)
        #expect(byLabels[["__name__": "lat_seconds_sum", "instance": "probe-target", "job": "outpost"]] == 0.5)
        #expect(byLabels[["__name__": "lat_seconds_count", "instance": "probe-target", "job": "outpost"]] == 1)
        #expect(byLabels[["__name__": "up_gauge", "instance": "127.0.0.1:9393", "job": "outpost"]] == 3)
        #expect(samples.count == 5)
    }
}
