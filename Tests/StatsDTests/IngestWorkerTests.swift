import OutpostCore
import OutpostMetrics
import Testing
@testable import StatsD

@Suite struct IngestWorkerTests {
    @Test func countersAddWithSampleRates() throws {
        var harness = try IngestHarness()
        harness.send("hits:1|c\nhits:2|c|@0.5\nhits:-1|c")
        #expect(harness.scalar("hits") == 5)
        #expect(harness.error("illegal_negative_counter") == 1)
        #expect(harness.scalar("outpost_statsd_events_total", ["type": "counter"]) == 2)
        #expect(harness.scalar("outpost_statsd_lines_total") == 3)
        #expect(harness.scalar("outpost_statsd_events_unmapped_total") == 2)
    }

    @Test func invalidUTF8InNameOrTagsRejectsTheLine() throws {
        var harness = try IngestHarness()
        var bytes = Array("ok:1|c\n".utf8)
        bytes += [0x62, 0xFF, 0x3A, 0x31, 0x7C, 0x63, 0x0A]  // "b\xFF:1|c"
        bytes += Array("t:1|c|#k:\u{1}".utf8) + [0xC3, 0x0A]  // truncated two-byte sequence in a tag
        bytes += Array("ünï:1|c".utf8)
        harness.worker.beginBatch(now: harness.clock.now())
        bytes.withUnsafeBytes { harness.worker.ingest(packet: $0) }
        bytes.withUnsafeBytes { harness.worker.ingest(packet: $0) }
        harness.worker.endBatch()
        #expect(harness.error("invalid_utf8") == 4)
        #expect(harness.scalar("ok") == 2)
        #expect(harness.scalar("_n_") == 2)
        #expect(harness.family("t") == nil)
    }

    @Test func gaugesSetOrAdd() throws {
        var harness = try IngestHarness()
        harness.send("temp:10|g\ntemp:+5|g\ntemp:-2.5|g")
        #expect(harness.scalar("temp") == 12.5)
        harness.send("temp:3|g")
        #expect(harness.scalar("temp") == 3)
    }

    @Test func timersBecomeHistogramsInSecondsByDefault() throws {
        var harness = try IngestHarness()
        harness.send("lat:100|ms\nlat:300|ms|@0.5")
        let histogram = try #require(harness.histogram("lat"))
        #expect(histogram.count == 3)
        #expect(abs(histogram.sum - 0.7) < 1e-9)
        #expect(histogram.upperBounds == Histogram.defaultBuckets + [.infinity])
        #expect(histogram.cumulativeCounts[histogram.upperBounds.firstIndex(of: 0.1)!] == 1)
    }

    @Test func summariesWhenTheMappingAsksForThem() throws {
        var harness = try IngestHarness(mapping: "defaults:\n  observer_type: summary\n")
        harness.send("lat:100|ms\nlat:300|ms|@0.5")
        let summary = try #require(harness.summary("lat"))
        #expect(summary.count == 3)
        #expect(abs(summary.sum - 0.7) < 1e-9)
    }

    @Test func histogramObserverUsesConfiguredBuckets() throws {
        var harness = try IngestHarness(mapping: """
            defaults:
              observer_type: histogram
            mappings:
              - match: "api.*.latency"
                name: "api_latency_seconds"
                labels: {endpoint: "$1"}
                histogram_options: {buckets: [0.1, 1]}
            """)
        harness.send("api.login.latency:50|ms\napi.login.latency:500|ms\napi.login.latency:5|h")
        let histogram = try #require(harness.histogram("api_latency_seconds", ["endpoint": "login"]))
        #expect(histogram.upperBounds == [0.1, 1, .infinity])
        #expect(histogram.cumulativeCounts == [1, 2, 3])
        harness.send("other:1|d")
        #expect(harness.histogram("other")?.upperBounds == Histogram.defaultBuckets + [.infinity])
    }

    @Test func tagsBecomeLabelsAndOneNameCarriesSeveralLabelSets() throws {
        var harness = try IngestHarness()
        harness.send("req:1|c|#code:200,path:/\nreq:1|c|#code:500\nreq,code=200,path=/:2|c\nreq:4|c")
        #expect(harness.scalar("req", ["code": "200", "path": "/"]) == 3)
        #expect(harness.scalar("req", ["code": "500"]) == 1)
        #expect(harness.scalar("req") == 4)
        #expect(harness.scalar("outpost_statsd_tags_total") == 5)
    }

    @Test func mixedTaggingStylesRejectTheLine() throws {
        var harness = try IngestHarness()
        harness.send("req,host=a:1|c|#code:200\nreq:1|c")
        #expect(harness.error("mixed_tagging_styles") == 1)
        #expect(harness.family("req")?.series.map(\.labels) == [Labels()])
    }

    @Test func tagErrorsAreCountedEveryTime() throws {
        var harness = try IngestHarness()
        harness.send("m:1|c|#novalue,k:v\nm:1|c|#novalue,k:v")
        #expect(harness.scalar("outpost_statsd_tag_errors_total") == 2)
        #expect(harness.scalar("m", ["k": "v"]) == 2)
    }

    @Test func mappingLabelsWinUnlessHonorLabels() throws {
        var harness = try IngestHarness(mapping: """
            mappings:
              - match: "a.*"
                name: "a_total"
                labels: {env: "mapped"}
              - match: "b.*"
                name: "b_total"
                honor_labels: true
                labels: {env: "mapped"}
            """)
        harness.send("a.x:1|c|#env:sent\nb.x:1|c|#env:sent\nb.y:1|c")
        #expect(harness.scalar("a_total", ["env": "mapped"]) == 1)
        #expect(harness.scalar("b_total", ["env": "sent"]) == 1)
        #expect(harness.scalar("b_total", ["env": "mapped"]) == 1)
    }

    @Test func dropAndScaleAndHelp() throws {
        var harness = try IngestHarness(mapping: """
            mappings:
              - match: "debug.*"
                action: drop
              - match: "bytes.*"
                name: "transfer_kilobytes"
                scale: 0.001
                help: "Bytes moved, in kB."
            """)
        harness.send("debug.x:1|c\nbytes.in:2000|g\ndebug.y:1|g")
        #expect(harness.family("debug_x") == nil)
        #expect(harness.scalar("outpost_statsd_events_actions_total", ["action": "drop"]) == 2)
        #expect(harness.scalar("transfer_kilobytes") == 2)
        #expect(harness.family("transfer_kilobytes")?.help == "Bytes moved, in kB.")
    }

    @Test func unmappedNamesAreSanitized() throws {
        var harness = try IngestHarness()
        harness.send("web.req-count:1|c\n9lives:1|c")
        #expect(harness.scalar("web_req_count") == 1)
        #expect(harness.scalar("_9lives") == 1)
    }

    @Test func typeConflictsAreRefusedAndCounted() throws {
        var harness = try IngestHarness(mapping: "defaults:\n  observer_type: histogram\n")
        harness.send("x:1|c\nx:1|g\nx:1|c")
        #expect(harness.scalar("x") == 2)
        #expect(harness.scalar("outpost_statsd_events_conflict_total", ["type": "gauge"]) == 1)
        harness.send("lat:1|ms\nlat_count:1|c\nlat_bucket:1|g\nlat:2|ms")
        #expect(harness.family("lat_count") == nil)
        #expect(harness.family("lat_bucket") == nil)
        #expect(harness.histogram("lat")?.count == 2)
        #expect(harness.scalar("outpost_statsd_events_conflict_total", ["type": "counter"]) == 1)
        var encoded = ""
        var encoder = ExpositionEncoder(format: .text) { encoded += String(decoding: $0, as: UTF8.self) }
        harness.registry.visit(&encoder)
        encoder.finish()
        #expect(encoded.contains("lat_bucket{le=\"+Inf\"} 2"))
        harness.send("late_count:1|c\nlate:5|ms")
        #expect(harness.scalar("late_count") == 1)
        #expect(harness.family("late") == nil)
        #expect(harness.scalar("outpost_statsd_events_conflict_total", ["type": "observer"]) == 1)
    }

    @Test func seriesCapRefusesNewSeriesButKeepsExistingOnes() throws {
        var harness = try IngestHarness(maxSeries: 2)
        harness.send("a:1|c\nb:1|c\nc:1|c\na:1|c|#k:v\na:1|c")
        #expect(harness.scalar("a") == 2)
        #expect(harness.scalar("b") == 1)
        #expect(harness.family("c") == nil)
        #expect(harness.scalar("outpost_statsd_series_dropped_total") == 2)
        #expect(harness.resolver.seriesCount == 2)
        #expect(harness.scalar("outpost_statsd_series", ["type": "counter"]) == 2)
    }

    @Test func reloadChangesTheCap() throws {
        var harness = try IngestHarness(maxSeries: 1)
        harness.send("a:1|c\nb:1|c")
        #expect(harness.family("b") == nil)
        harness.resolver.replace(mapper: try mapper(""), styles: TagStyles(), maxSeries: 2)
        harness.send("b:1|c\nc:1|c")
        #expect(harness.scalar("b") == 1)
        #expect(harness.family("c") == nil)
        #expect(harness.scalar("outpost_statsd_series_dropped_total") == 2)
    }

    @Test func ttlExpiryRemovesSeriesAndFreesTheCap() throws {
        var harness = try IngestHarness(mapping: """
            defaults:
              ttl: 10s
            mappings:
              - match: "keep.*"
                name: "keep"
                ttl: 1h
            """, maxSeries: 2)
        harness.send("short:1|g\nkeep.x:1|g")
        harness.clock.advance(by: .seconds(5))
        harness.send("short:2|g")
        harness.clock.advance(by: .seconds(9))
        #expect(harness.resolver.expire(now: harness.clock.now()).isEmpty)
        harness.clock.advance(by: .seconds(2))
        let removed = harness.resolver.expire(now: harness.clock.now())
        #expect(removed.map(\.name) == ["short"])
        #expect(harness.family("short")?.series.isEmpty == true)
        #expect(harness.scalar("keep") == 1)
        harness.send("new:1|g\nshort:7|g")
        #expect(harness.scalar("new") == 1)
        #expect(harness.scalar("short") == nil)
        #expect(harness.scalar("outpost_statsd_series_dropped_total") == 1)
    }

    @Test func setsCountDistinctValuesPerWindow() throws {
        var harness = try IngestHarness(now: 120_000)
        harness.send("users:alice|s\nusers:bob|s\nusers:alice|s\nusers:carol|s|#app:x")
        #expect(harness.scalar("users") == 2)
        #expect(harness.scalar("users", ["app": "x"]) == 1)
        harness.clock.advance(by: .seconds(60))
        #expect(harness.scalar("users") == 0)
        harness.send("users:dave|s")
        #expect(harness.scalar("users") == 1)
        #expect(harness.scalar("outpost_statsd_events_total", ["type": "set"]) == 5)
    }

    @Test func reloadResolvesCachedSeriesAgain() throws {
        var harness = try IngestHarness()
        harness.send("svc.hits:1|c")
        #expect(harness.scalar("svc_hits") == 1)
        harness.resolver.replace(mapper: try mapper("mappings:\n  - match: svc.*\n    name: svc_$1_total\n"), styles: TagStyles(),
                                  maxSeries: 0)
        harness.send("svc.hits:1|c")
        #expect(harness.scalar("svc_hits_total") == 1)
        #expect(harness.scalar("svc_hits") == 1)
        #expect(harness.scalar("outpost_statsd_loaded_mappings") == 1)
    }

    @Test func cachedSeriesStillCountEveryEvent() throws {
        var harness = try IngestHarness()
        for _ in 0..<100 { harness.send("c:1|c|#a:b\ng:1|g\nt:1|ms") }
        #expect(harness.scalar("c", ["a": "b"]) == 100)
        #expect(harness.scalar("outpost_statsd_events_total", ["type": "observer"]) == 100)
        #expect(harness.scalar("outpost_statsd_samples_total") == 300)
        #expect(harness.scalar("outpost_statsd_packets_total", ["transport": "udp"]) == 100)
    }
}

@Suite struct SeriesCacheTests {
    @Test func findsOnlyExactKeysAndSurvivesGrowth() {
        var cache = SeriesCache(limit: 100_000)
        func withKey<T>(_ name: String, _ tags: String, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> T) -> T {
            Array(name.utf8).withUnsafeBytes { n in Array(tags.utf8).withUnsafeBytes { t in body(n, t) } }
        }
        for index in 0..<5000 {
            withKey("metric.\(index)", index % 2 == 0 ? "k:v" : "") { name, tags in
                let hash = SeriesCache.hash(name: name, tags: tags, type: .counter)
                var series = ResolvedSeries(.dropped)
                series.tagCount = index
                cache.insert(hash: hash, name: name, tags: tags, type: .counter, series: series)
            }
        }
        for index in stride(from: 0, to: 5000, by: 7) {
            let found = withKey("metric.\(index)", index % 2 == 0 ? "k:v" : "") { name, tags in
                cache.find(hash: SeriesCache.hash(name: name, tags: tags, type: .counter), name: name, tags: tags, type: .counter)
            }
            #expect(found.map { Int($0.tagCount) } == index)
            let otherType = withKey("metric.\(index)", index % 2 == 0 ? "k:v" : "") { name, tags in
                cache.find(hash: SeriesCache.hash(name: name, tags: tags, type: .gauge), name: name, tags: tags, type: .gauge)
            }
            #expect(otherType == nil)
        }
    }
}

@Suite struct HighCardinalityTests {
    @Test func newTagValuesReuseTheMappingOfTheirName() throws {
        var harness = try IngestHarness(mapping: """
            mappings:
              - match: "api.*.hits"
                name: "api_hits_total"
                labels: {route: "$1"}
            """)
        for request in 0..<50 { harness.send("api.login.hits:1|c|#request:r\(request)") }
        #expect(harness.family("api_hits_total")?.series.count == 50)
        #expect(harness.scalar("api_hits_total", ["route": "login", "request": "r7"]) == 1)
        #expect(harness.scalar("outpost_statsd_events_unmapped_total") == 0)
    }
}
