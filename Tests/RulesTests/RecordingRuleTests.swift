import OutpostCore
import Rules
import TSDB
import Testing

@Suite struct RecordingRuleTests {
    @Test func renamesResultsAndLaterRulesSeeEarlierOnes() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "job": "a", "instance": "1"], [1, 1])
        try fixture.series(["__name__": "up", "job": "a", "instance": "2"], [0, 1])
        let evaluator = try fixture.evaluator("""
            groups:
              - name: g
                labels: {env: prod}
                rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                  - record: job:up:double
                    expr: job:up:sum * 2
                    labels: {env: test}
            """)
        let result = evaluator.evaluate(at: 60_000)
        #expect(result.failures.isEmpty)
        #expect(result.rules.map(\.samples) == [1, 1])
        let sum = try fixture.query("job:up:sum", at: 60_000)
        #expect(sum.count == 1)
        #expect(sum.first?.labels == ["__name__": "job:up:sum", "job": "a", "env": "prod"])
        #expect(sum.first?.value == 2)
        let double = try fixture.query("job:up:double", at: 60_000)
        #expect(double.first?.labels == ["__name__": "job:up:double", "job": "a", "env": "test"])
        #expect(double.first?.value == 4)
        let status = evaluator.status
        #expect(status.rules.map(\.health) == [.ok, .ok])
        #expect(status.rules[0].lastEvaluation == 60_000)
        #expect(status.lastEvaluation == 60_000)
    }

    @Test func healthIsUnknownBeforeTheFirstEvaluation() throws {
        let evaluator = try RuleFixture().evaluator("groups: [{name: g, rules: [{record: r, expr: '1'}]}]")
        #expect(evaluator.status.rules[0].health == .unknown)
        #expect(evaluator.status.rules[0].lastEvaluation == nil)
    }

    @Test func scalarBecomesOneSampleWithOnlyTheName() throws {
        let fixture = RuleFixture()
        let evaluator = try fixture.evaluator("groups: [{name: g, rules: [{record: one, expr: '1 + 2'}]}]")
        evaluator.evaluate(at: 0)
        let found = try fixture.query("one", at: 0)
        #expect(found.count == 1)
        #expect(found.first?.labels == ["__name__": "one"])
        #expect(found.first?.value == 3)
    }

    @Test func aFailingRuleIsRecordedAndTheNextRuleStillRuns() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "a"], [1])
        try fixture.series(["__name__": "b"], [2])
        let evaluator = try fixture.evaluator("""
            groups:
              - name: g
                rules:
                  - record: same
                    expr: '{__name__=~"a|b"}'
                  - record: fine
                    expr: a
            """)
        let result = evaluator.evaluate(at: 0)
        #expect(result.failures.map(\.name) == ["same"])
        #expect(result.rules[0].lastError == "vector contains metrics with the same labelset after applying rule labels")
        #expect(result.rules[1].health == .ok)
        #expect(try fixture.query("same", at: 0).isEmpty)
        #expect(try fixture.query("fine", at: 0).count == 1)
        let status = evaluator.status.rules[0]
        #expect(status.health == .err)
        #expect(status.lastError == result.rules[0].lastError)
    }

    @Test func queryErrorsBecomeTheRuleError() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "x", "a": "1", "b": "2"], [1])
        try fixture.series(["__name__": "y", "a": "1", "b": "3"], [1])
        try fixture.series(["__name__": "y", "a": "1", "b": "4"], [1])
        let evaluator = try fixture.evaluator("groups: [{name: g, rules: [{record: j, expr: 'x + on(a) y'}]}]")
        let error = evaluator.evaluate(at: 0).rules[0].lastError ?? ""
        #expect(error.contains("many-to-many matching not allowed"))
    }

    @Test func limitRejectsTooManySeries() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "i": "1"], [1])
        try fixture.series(["__name__": "up", "i": "2"], [1])
        let evaluator = try fixture.evaluator("groups: [{name: g, limit: 1, rules: [{record: r, expr: up}]}]")
        #expect(evaluator.evaluate(at: 0).rules[0].lastError == "exceeded limit of 1 with 2 series")
        #expect(try fixture.query("r", at: 0).isEmpty)
    }

    @Test func vanishedOutputIsMarkedStale() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "i": "1"], [1, 0], step: 60_000)
        let evaluator = try fixture.evaluator("groups: [{name: g, rules: [{record: r, expr: 'up > 0'}]}]")
        evaluator.evaluate(at: 30_000)
        evaluator.evaluate(at: 90_000)
        let samples = try fixture.samples(["__name__": "r", "i": "1"])
        #expect(samples.map(\.t) == [30_000, 90_000])
        #expect(samples.first?.v == 1)
        #expect(samples.last.map { StaleMarker.isStale($0.v) } == true)
    }

    @Test func queryOffsetShiftsQueryAndSampleTime() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "m"], [1, 2, 3])
        let evaluator = try fixture.evaluator("groups: [{name: g, query_offset: 1m, rules: [{record: r, expr: m}]}]")
        evaluator.evaluate(at: 120_000)
        let samples = try fixture.samples(["__name__": "r"])
        #expect(samples.count == 1)
        #expect(samples.first?.t == 60_000)
        #expect(samples.first?.v == 2)
    }
}
