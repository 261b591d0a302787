import OutpostCore
import Testing
import TSDB
@testable import PromQL

@Suite struct EngineTests {
    /// Two counters scraped every 15s for 10 minutes: a grows by 1 per scrape, b by 3.
    func makeEngine(options: EngineOptions = EngineOptions()) throws -> Engine {
        let head = Head()
        for step in 0...40 {
            let t = Int64(step) * 15_000
            try head.append(["__name__": "x_total", "job": "a"], t, Double(step))
            try head.append(["__name__": "x_total", "job": "b"], t, Double(step * 3))
        }
        return Engine(queryable: head, options: options)
    }

    func vector(_ result: QueryResult) -> [String: Double] {
        guard case .vector(let samples) = result.value else { return [:] }
        return Dictionary(uniqueKeysWithValues: samples.map { ($0.labels.description, $0.value) })
    }

    @Test func rateIsIncreasePerSecond() throws {
        let engine = try makeEngine()
        // 1 per 15s is 1/15 per second; samples cover the window exactly, so no extrapolation is needed.
        let result = try engine.instantQuery("rate(x_total[5m])", at: 600_000)
        let values = vector(result)
        #expect(abs((values["{job=\"a\"}"] ?? 0) - 1.0 / 15) < 1e-12)
        #expect(abs((values["{job=\"b\"}"] ?? 0) - 3.0 / 15) < 1e-12)
    }

    @Test func aggregatesByLabel() throws {
        let engine = try makeEngine()
        let result = try engine.instantQuery("sum by (job) (x_total) + on (job) group_left x_total * 0", at: 600_000)
        #expect(vector(result) == ["{job=\"a\"}": 40, "{job=\"b\"}": 120])
        let scalar = try engine.instantQuery("scalar(sum(x_total)) * 2", at: 600_000)
        guard case .scalar(_, let value) = scalar.value else { Issue.record("not a scalar"); return }
        #expect(value == 320)
    }

    @Test func rangeQueryReturnsOnePointPerStep() throws {
        let engine = try makeEngine()
        let result = try engine.rangeQuery("x_total{job=\"a\"}", start: 0, end: 120_000, step: 30_000)
        guard case .matrix(let series) = result.value else { Issue.record("not a matrix"); return }
        #expect(series.count == 1)
        #expect(series.first?.points.map(\.value) == [0, 2, 4, 6, 8])
        #expect(series.first?.points.map(\.t) == [0, 30_000, 60_000, 90_000, 120_000])
    }

    @Test func lookbackEndsAfterFiveMinutesAndAtStaleMarkers() throws {
        let head = Head()
        try head.append(["__name__": "up"], 0, 1)
        try head.append(["__name__": "gone"], 0, 1)
        try head.markStale(["__name__": "gone"], at: 30_000)
        let engine = Engine(queryable: head)
        #expect(vector(try engine.instantQuery("up", at: 299_999)).count == 1)
        #expect(vector(try engine.instantQuery("up", at: 300_000)).isEmpty)
        #expect(vector(try engine.instantQuery("gone", at: 15_000)).count == 1)
        #expect(vector(try engine.instantQuery("gone", at: 30_000)).isEmpty)
    }

    @Test func reportsExecutionErrorsAndAnnotations() throws {
        let engine = try makeEngine()
        #expect {
            try engine.instantQuery("x_total + ignoring(job) x_total", at: 600_000)
        } throws: { error in
            (error as? QueryError)?.description.contains("many-to-many matching not allowed") == true
        }
        let quantile = try engine.instantQuery("quantile(2, x_total)", at: 600_000)
        #expect(quantile.annotations.warnings == ["PromQL warning: quantile value should be between 0 and 1, got 2"])
        let parse = Result { try engine.instantQuery("sum(", at: 0) }
        guard case .failure(let error as QueryError) = parse else { Issue.record("expected failure"); return }
        #expect(error.errorType == "bad_data")
    }

    @Test func enforcesMaxSamplesAndTimeout() throws {
        var options = EngineOptions()
        options.maxSamples = 1
        let limited = try makeEngine(options: options)
        #expect(throws: QueryError.self) { try limited.instantQuery("x_total", at: 600_000) }
        options.maxSamples = 100
        // 82 stored samples load fine; a subquery producing 2 x 121 points does not.
        #expect(throws: Never.self) { try makeEngine(options: options).instantQuery("count_over_time(x_total[1h])", at: 600_000) }
        #expect(throws: QueryError.self) {
            try makeEngine(options: options).instantQuery("count_over_time(x_total[1h:5s])", at: 600_000)
        }
        options = EngineOptions()
        options.timeout = .zero
        let timedOut = try makeEngine(options: options)
        #expect {
            try timedOut.rangeQuery("x_total", start: 0, end: 600_000, step: 1_000)
        } throws: { error in
            if case .timeout = error as? QueryError { return true }
            return false
        }
    }
}
