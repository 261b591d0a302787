import OutpostCore
import OutpostMetrics
import Testing
@testable import StatsD

@Suite struct MapperTests {
    @Test func globCapturesFillNameAndLabels() throws {
        let mapper = try mapper("""
            mappings:
              - match: "test.dispatcher.*.*.*"
                name: "dispatcher_events_total"
                labels:
                  processor: "$1"
                  action: "${2}"
                  outcome: "$3"
                  job: "test_dispatcher"
            """)
        let outcome = mapper.map("test.dispatcher.FooProcessor.send.success", type: .counter)
        #expect(outcome.matched)
        #expect(outcome.name == "dispatcher_events_total")
        #expect(Labels(outcome.labels) == ["processor": "FooProcessor", "action": "send", "outcome": "success",
                                           "job": "test_dispatcher"])
    }

    @Test func starMatchesExactlyOneSegment() throws {
        let mapper = try mapper("""
            mappings:
              - match: "a.*.c"
                name: "abc"
            """)
        #expect(mapper.map("a.b.c", type: .counter).matched)
        #expect(!mapper.map("a.b.x.c", type: .counter).matched)
        #expect(!mapper.map("a.c", type: .counter).matched)
    }

    @Test func partialSegmentWildcards() throws {
        let mapper = try mapper("""
            mappings:
              - match: "api.req_*_ms.*"
                name: "api_${1}_seconds"
                labels: {host: "$2"}
            """)
        let outcome = mapper.map("api.req_login_ms.web1", type: .observer)
        #expect(outcome.name == "api_login_seconds")
        #expect(Labels(outcome.labels) == ["host": "web1"])
    }

    @Test func globOrderingFirstListedRuleWins() throws {
        let yaml = """
            mappings:
              - match: "a.*.c"
                name: "wildcard_first"
              - match: "a.b.c"
                name: "literal_second"
            """
        #expect(try mapper(yaml).map("a.b.c", type: .counter).name == "wildcard_first")
        let unordered = "defaults:\n  glob_disable_ordering: true\n" + yaml
        #expect(try mapper(unordered).map("a.b.c", type: .counter).name == "literal_second")
    }

    @Test func orderingBacktracksAcrossBranches() throws {
        let mapper = try mapper("""
            mappings:
              - match: "x.*.z"
                name: "first"
              - match: "x.y.*"
                name: "second"
            """)
        #expect(mapper.map("x.y.z", type: .counter).name == "first")
        #expect(mapper.map("x.y.q", type: .counter).name == "second")
    }

    @Test func matchMetricTypeSelectsRules() throws {
        let mapper = try mapper("""
            mappings:
              - match: "svc.*"
                match_metric_type: observer
                name: "svc_latency"
              - match: "svc.*"
                name: "svc_other"
            """)
        #expect(mapper.map("svc.a", type: .observer).name == "svc_latency")
        #expect(mapper.map("svc.a", type: .counter).name == "svc_other")
    }

    @Test func regexCapturesAndGlobPrecedence() throws {
        let mapper = try mapper("""
            mappings:
              - match: "(.*)\\\\.requests\\\\.(\\\\d+)"
                match_type: regex
                name: "${1}_requests_total"
                labels: {code: "$2"}
              - match: "web.requests.*"
                name: "glob_wins"
            """)
        #expect(mapper.map("web.requests.200", type: .counter).name == "glob_wins")
        let outcome = mapper.map("api.requests.500", type: .counter)
        #expect(outcome.name == "api_requests_total")
        #expect(Labels(outcome.labels) == ["code": "500"])
    }

    /// Names come from the network: a long name that a nested-repetition regex does not match
    /// is passed over at once instead of backtracking for hours.
    @Test func regexMappingOfANonMatchingLongNameEndsAtOnce() throws {
        let mapper = try mapper("""
            mappings:
              - match: "^(.*)*\\\\.total$"
                match_type: regex
                name: "${1}_total"
            """)
        let name = String(repeating: "a", count: 300)
        #expect(mapper.map(name, type: .counter).name == name)
        #expect(mapper.map("requests.total", type: .counter).name.hasSuffix("_total"))
    }

    @Test func dropAction() throws {
        let mapper = try mapper("""
            mappings:
              - match: "noise.*"
                action: drop
            """)
        #expect(mapper.map("noise.x", type: .gauge).settings.drop)
        #expect(!mapper.map("signal.x", type: .gauge).settings.drop)
    }

    @Test func defaultsFlowIntoRules() throws {
        let mapper = try mapper("""
            defaults:
              observer_type: histogram
              ttl: 30s
              histogram_options: {buckets: [1, 2]}
            mappings:
              - match: "a.*"
                name: "a"
              - match: "b.*"
                name: "b"
                observer_type: summary
                summary_options:
                  quantiles: [{quantile: 0.5, error: 0.1}]
                  max_age: 1m
                ttl: 5s
                scale: 0.001
            """)
        let a = mapper.map("a.x", type: .observer).settings
        #expect(a.observer == .histogram(buckets: [1, 2]))
        #expect(a.ttl == .seconds(30))
        let b = mapper.map("b.x", type: .observer).settings
        #expect(b.observer == .summary(objectives: [.init(quantile: 0.5, error: 0.1)], maxAge: .seconds(60), ageBuckets: 5))
        #expect(b.ttl == .seconds(5))
        #expect(b.scale == 0.001)
        #expect(mapper.unmappedSettings.ttl == .seconds(30))
    }

    @Test func timersDefaultToHistogramsWithDefaultBuckets() throws {
        #expect(try mapper("").unmappedSettings.observer == .histogram(buckets: Histogram.defaultBuckets))
        #expect(try mapper("defaults:\n  observer_type: summary\n").unmappedSettings.observer ==
            .summary(objectives: [.init(quantile: 0.5, error: 0.05), .init(quantile: 0.9, error: 0.01),
                                  .init(quantile: 0.99, error: 0.001)], maxAge: .seconds(600), ageBuckets: 5))
    }

    @Test func errorsCarryFileLineAndColumn() {
        let cases: [(String, Int, String)] = [
            ("mappings:\n  - match: \"a..b\"\n    name: x\n", 2, "not a valid glob"),
            ("mappings:\n  - match: \"(\"\n    match_type: regex\n    name: x\n", 2, "not a valid regex"),
            ("mappings:\n  - match: \"a(?=b)\"\n    match_type: regex\n    name: x\n", 2,
             "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
            ("mappings:\n  - match: a.b\n", 2, "needs a metric name"),
            ("mappings:\n  - match: a.b\n    name: x\n    labels: {\"bad-label\": y}\n", 4, "not a valid label name"),
            ("mappings:\n  - match: a.b\n    name: \"1x\"\n", 3, "not a valid metric name"),
            ("mappings:\n  - match: a.b\n    name: x\n    colour: red\n", 4, "unknown key"),
            ("mappings:\n  - match: a.b\n    name: x\n    observer_type: histogram\n    summary_options: {max_age: 1m}\n",
             5, "summary options"),
        ]
        for (yaml, line, message) in cases {
            do {
                _ = try MappingFile.parse(yaml, file: "m.yml")
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect(error.file == "m.yml")
                #expect(error.line == line, "\(error)")
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }

    @Test func acceptsStatsDExporterOnlyKeys() throws {
        _ = try mapper("""
            defaults:
              timer_type: histogram
              buckets: [0.1, 1]
              histogram_options: {native_histogram_bucket_factor: 1.1, native_histogram_max_buckets: 256}
              summary_options: {buf_cap: 500, age_buckets: 3}
            mappings:
              - match: a.b
                name: x
                help: "Some help."
                honor_labels: true
            """)
    }

    @Test func thousandsOfGlobRulesStillMatchTheRightOne() throws {
        var yaml = "mappings:\n"
        for index in 0..<5000 {
            yaml += "  - match: \"app\(index).*.requests\"\n    name: \"app\(index)_requests\"\n    labels: {route: \"$1\"}\n"
        }
        let mapper = try mapper(yaml)
        #expect(mapper.ruleCount == 5000)
        let outcome = mapper.map("app4321.login.requests", type: .counter)
        #expect(outcome.name == "app4321_requests")
        #expect(Labels(outcome.labels) == ["route": "login"])
        #expect(!mapper.map("app5000.login.requests", type: .counter).matched)
    }
}

@Suite struct NameEscapingTests {
    @Test func invalidCharactersBecomeUnderscores() {
        #expect(MetricNameEscaping.escape("web.requests-total") == "web_requests_total")
        #expect(MetricNameEscaping.escape("5xx.count") == "_5xx_count")
        #expect(MetricNameEscaping.escape("a:b") == "a_b")
        #expect(MetricNameEscaping.escape("héllo") == "h_llo")
        #expect(MetricNameEscaping.escape("ok_name") == "ok_name")
    }
}

@Suite struct TagParserTests {
    let parser = TagParser(styles: TagStyles())

    @Test func influxDBLibratoAndSignalFXTagsInTheName() {
        let influx = parser.parseName("cpu,host=a,region=eu")
        #expect(influx.name == "cpu")
        #expect(Labels(influx.labels) == ["host": "a", "region": "eu"])
        let librato = parser.parseName("cpu#host=b")
        #expect(librato.name == "cpu")
        #expect(Labels(librato.labels) == ["host": "b"])
        let signalFX = parser.parseName("cpu.[host=c,dc=x]idle")
        #expect(signalFX.name == "cpu.idle")
        #expect(Labels(signalFX.labels) == ["host": "c", "dc": "x"])
    }

    @Test func badTagsAreCountedAndSkipped() {
        var result = parser.parseName("m")
        parser.parseDogStatsD("ok:1,novalue,:empty,empty:,bad-key:v", into: &result)
        #expect(result.tagCount == 5)
        #expect(result.tagErrors == 3)
        #expect(Labels(result.labels) == ["ok": "1", "bad_key": "v"])
    }

    @Test func stylesCanBeSwitchedOff() {
        let off = TagParser(styles: TagStyles(dogStatsD: true, influxDB: false, librato: false, signalFX: false))
        let result = off.parseName("cpu,host=a#x=y[k=v]")
        #expect(result.name == "cpu,host=a#x=y[k=v]")
        #expect(result.labels.isEmpty)
    }
}

@Suite struct GlobPatternTests {
    func match(_ pattern: String, _ segment: String) -> [String]? {
        var captures: [Substring] = []
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false)
        return GlobPattern.match(pieces, Substring(segment), captures: &captures) ? captures.map(String.init) : nil
    }

    @Test func starsInsideASegment() {
        #expect(match("*", "anything") == ["anything"])
        #expect(match("req_*_ms", "req_login_ms") == ["login"])
        #expect(match("a*b*c", "aXXbYYc") == ["XX", "YY"])
        #expect(match("a*b*c", "abbc") == ["", "b"])
        #expect(match("a*b", "ab") == [""])
        #expect(match("a*b", "ba") == nil)
        #expect(match("x*y*z", "xyz_") == nil)
        #expect(match("pre*", "pr") == nil)
    }

    @Test func validity() {
        #expect(GlobPattern.isValid("a.*.b-c:d_e"))
        #expect(!GlobPattern.isValid("a..b"))
        #expect(!GlobPattern.isValid(".a"))
        #expect(!GlobPattern.isValid("a/b"))
        #expect(!GlobPattern.isValid(""))
    }
}
