import OutpostCore
import OutpostTestSupport
import Testing
import TSDB
@testable import PromQL

/// Mutated queries must end in a result or a typed error, never a trap.
@Suite struct HostileQueryTests {
    static let seeds = [
        "sum by (job) (rate(x_total[5m]))", "histogram_quantile(0.9, rate(h_bucket[1m]))",
        "topk(3, x_total) / on (job) group_left (le) h_bucket", "max_over_time(x_total[1h:1m] offset -5m @ 100)",
        "label_replace(x_total, \"a\", \"$1\", \"job\", \"(.*)\")", "count_values(\"v\", x_total) unless x_total",
        "quantile_over_time(2, x_total[5m]) ^ -x_total % 0", "round(x_total, 1e-300) atan2 bool 1 > 2",
        "predict_linear(x_total[10m], 1e308) and vector(time())", "limit_ratio(-0.5, x_total) or absent(nope)",
    ]
    static let fragments = ["(", ")", "[", "]", "{", "}", ",", "@", "offset", "-", "1e309", "0x", "\"", "'", "by",
                            "9223372036854775807", "[1y:1ms]", "start()", "^", "bool", "on()", ":", "=~\"(\"", "NaN"]

    /// A matcher or `label_replace` regex that makes a backtracking engine run for hours on a
    /// 40-character value (`(.*)*x`) is answered in linear time, as in Prometheus, so a query
    /// cannot pin a thread.
    @Test func catastrophicMatcherRegexesAnswerAtOnce() throws {
        let head = Head()
        let path = String(repeating: "a", count: 400)
        try head.append(["__name__": "requests_total", "path": path], 0, 1)
        let engine = Engine(queryable: head, options: EngineOptions())
        for query in [#"count(requests_total{path=~"(.*)*x"})"#, #"count(requests_total{path=~"(a|aa)+x"})"#,
                      #"count(requests_total{path!~"(a*)*"})"#] {
            guard case .vector(let samples) = try engine.instantQuery(query, at: 0).value else { Issue.record("not a vector"); continue }
            #expect(samples.isEmpty, "\(query)")
        }
        let replaced = try engine.instantQuery(#"label_replace(requests_total, "p", "$1", "path", "(.*)*x")"#, at: 0).value
        guard case .vector(let unchanged) = replaced else { Issue.record("not a vector"); return }
        #expect(unchanged.map { $0.labels["p"] } == [nil])
        guard case .vector(let samples) = try engine.instantQuery(#"count(requests_total{path=~"(a*)*"})"#, at: 0).value else {
            Issue.record("not a vector")
            return
        }
        #expect(samples.map(\.value) == [1])
    }

    @Test func mutatedQueriesNeverCrash() throws {
        let head = Head()
        for step in 0..<30 {
            try head.append(["__name__": "x_total", "job": "j\(step % 3)"], Int64(step) * 15_000, Double(step))
            try head.append(["__name__": "h_bucket", "le": step % 2 == 0 ? "+Inf" : "1"], Int64(step) * 15_000, Double(step))
        }
        var options = EngineOptions()
        options.timeout = .seconds(2)
        options.maxSamples = 100_000
        let engine = Engine(queryable: head, options: options)
        var generator = SeededGenerator(seed: 42)
        var outcomes = (results: 0, errors: 0)
        for _ in 0..<1_500 {
            var query = Array(Self.seeds.randomElement(using: &generator) ?? "")
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0...query.count, using: &generator)
                if Bool.random(using: &generator), position < query.count {
                    query.remove(at: position)
                } else {
                    query.insert(contentsOf: Self.fragments.randomElement(using: &generator) ?? "", at: position)
                }
            }
            do {
                _ = try engine.instantQuery(String(query), at: 300_000)
                _ = try engine.rangeQuery(String(query), start: 0, end: 400_000, step: 100_000)
                outcomes.results += 1
            } catch {
                outcomes.errors += 1
            }
        }
        #expect(outcomes.results + outcomes.errors == 1_500)
        #expect(outcomes.errors > 0)
    }
}
