import OutpostCore
import Testing
import TSDB
@testable import PromQL

/// A range query is by definition an instant query at each step. The engine evaluates range
/// queries series by series where it can; these check that it still returns what the instant
/// queries at each step return, on data with resets, gaps, stale markers and NaN.
@Suite struct RangeEvaluationTests {
    static let step: Int64 = 10_000
    static let end: Int64 = 900_000

    /// Counters and gauges scraped every 15 s with resets, a gap, a stale marker and NaN.
    func makeHead() throws -> Head {
        let head = Head()
        for i in 0...60 {
            let t = Int64(i) * 15_000
            try head.append(["__name__": "requests_total", "job": "api", "instance": "a"], t, Double(i % 25 * 4))
            try head.append(["__name__": "requests_total", "job": "api", "instance": "b"], t, Double(i * 2))
            if i < 20 || i > 30 {
                try head.append(["__name__": "requests_total", "job": "web", "instance": "c"], t + 3_000, Double(i * i))
            }
            try head.append(["__name__": "temperature", "job": "api", "instance": "a"], t, i == 33 ? .nan : Double((i * 7) % 13) - 4)
            if i < 40 {
                try head.append(["__name__": "temperature", "job": "web", "instance": "c"], t + 7_000, Double(i % 5))
            }
            // Sorts before temperature but appears later: annotations follow the steps, not series order.
            if i >= 30 {
                try head.append(["__name__": "queue_depth", "job": "api", "instance": "q"], t, Double(i % 3))
            }
        }
        try head.markStale(["__name__": "temperature", "job": "web", "instance": "c"], at: 600_500)
        return head
    }

    static let expressions = [
        "rate(requests_total[1m])", "increase(requests_total[2m])", "delta(temperature[1m])",
        "irate(requests_total[1m])", "idelta(temperature[45s])", "deriv(temperature[2m])",
        "predict_linear(temperature[2m], 60)", "resets(requests_total[3m])", "changes(temperature[3m])",
        "avg_over_time(temperature[1m])", "sum_over_time(temperature[1m])", "count_over_time(temperature[1m])",
        "min_over_time(temperature[1m])", "max_over_time(temperature[1m])", "last_over_time(temperature[1m])",
        "first_over_time(temperature[1m])", "stddev_over_time(temperature[2m])", "stdvar_over_time(temperature[2m])",
        "mad_over_time(temperature[2m])", "quantile_over_time(0.9, temperature[2m])", "quantile_over_time(2, temperature[2m])",
        "present_over_time(temperature[30s])", "ts_of_max_over_time(temperature[1m])", "ts_of_min_over_time(temperature[1m])",
        "ts_of_last_over_time(temperature[1m])", "ts_of_first_over_time(temperature[1m])",
        "double_exponential_smoothing(temperature[2m], 0.5, 0.5)",
        "rate(requests_total[1m] offset 2m)", "rate(requests_total[1m] @ 300)", "rate((requests_total[1m]))",
        "temperature", "temperature offset 1m", "requests_total @ 450",
        "sum by (job) (rate(requests_total[1m]))", "avg without (instance) (temperature)",
        "count(temperature)", "min by (instance) (max_over_time(temperature[1m]))", "max(temperature)",
        "stddev by (job) (temperature)", "stdvar(rate(requests_total[1m]))", "group by (job) (temperature)",
        "sum by (__name__) ({__name__=~\"temperature|requests_total\"})",
        "sum by (__name__, job) (last_over_time({__name__=~\"temperature|requests_total\"}[1m]))",
        "rate({__name__=~\"temperature|requests_total\"}[1m])",
        "last_over_time({__name__=~\"temperature|requests_total\"}[1m])",
        "(sum(rate(requests_total[1m])))",
        "sum by (job) (rate({__name__=~\"queue_depth|temperature\"}[1m]))",
        "increase({__name__=~\"queue_depth|temperature\"}[1m])",
    ]

    @Test(arguments: expressions)
    func rangeQueryMatchesInstantQueriesAtEachStep(_ query: String) throws {
        let engine = Engine(queryable: try makeHead())
        var expected: [Labels: [Point]] = [:]
        var warnings: [String] = []
        var infos: [String] = []
        var instantError: QueryError?
        var t: Int64 = 0
        while t <= Self.end {
            do {
                let result = try engine.instantQuery(query, at: t)
                guard case .vector(let samples) = result.value else { Issue.record("not a vector"); return }
                for sample in samples { expected[sample.labels, default: []].append(Point(t: t, value: sample.value)) }
                for warning in result.annotations.warnings where !warnings.contains(warning) { warnings.append(warning) }
                for info in result.annotations.infos where !infos.contains(info) { infos.append(info) }
            } catch {
                instantError = error
                break
            }
            t += Self.step
        }
        let range: QueryResult
        do {
            range = try engine.rangeQuery(query, start: 0, end: Self.end, step: Self.step)
        } catch {
            #expect(instantError?.description == error.description)
            return
        }
        #expect(instantError == nil)
        guard case .matrix(let series) = range.value else { Issue.record("not a matrix"); return }
        #expect(series.count == expected.count)
        for s in series {
            let want = expected[s.labels] ?? []
            #expect(s.points.count == want.count, "\(s.labels)")
            for (got, wanted) in zip(s.points, want) {
                #expect(got.t == wanted.t && (got.value == wanted.value || (got.value.isNaN && wanted.value.isNaN)), "\(s.labels) at \(got.t)")
            }
        }
        #expect(range.annotations.warnings == warnings)
        #expect(range.annotations.infos == infos)
    }

    @Test func labelsEqualOnceTheNameIsDroppedAtOneStepAreAnError() throws {
        let head = Head()
        for i in 0...20 {
            try head.append(["__name__": "a_total", "job": "x"], Int64(i) * 15_000, Double(i))
            try head.append(["__name__": "b_total", "job": "x"], Int64(i) * 15_000, Double(i))
        }
        let engine = Engine(queryable: head)
        #expect {
            try engine.rangeQuery("rate({job=\"x\"}[1m])", start: 0, end: 300_000, step: 15_000)
        } throws: { error in
            (error as? QueryError)?.description == "vector cannot contain metrics with the same labelset"
        }
    }

    @Test func stopsAtTheTimeout() throws {
        var options = EngineOptions()
        options.timeout = .zero
        let engine = Engine(queryable: try makeHead(), options: options)
        #expect {
            try engine.rangeQuery("sum(rate(requests_total[1m]))", start: 0, end: Self.end, step: Self.step)
        } throws: { error in
            if case .timeout = error as? QueryError { return true }
            return false
        }
    }
}
