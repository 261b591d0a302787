import OutpostCore
@testable import Rules
import Testing

@Suite struct RuleStatusTests {
    /// `/api/v1/rules` reads the status while groups evaluate; it must show the last finished
    /// evaluation instead of waiting for the one in progress.
    @Test(.timeLimit(.minutes(1))) func statusDoesNotWaitForAnEvaluationInProgress() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "job": "a"], [0, 0])
        let evaluator = try fixture.evaluator(AlertingRuleTests.downRule)
        evaluator.evaluate(at: 60_000)
        let during = evaluator.state.withLock { _ in evaluator.status }
        #expect(during.lastEvaluation == 60_000)
        #expect(during.rules[0].state == .pending)
        #expect(during.rules[0].alerts.map(\.activeAt) == [60_000])
    }

    @Test func statusFollowsRestoredAlerts() throws {
        let fixture = RuleFixture()
        let evaluator = try fixture.evaluator(AlertingRuleTests.downRule)
        let rule = evaluator.group.rules[0]
        evaluator.restore([AlertRecord(
            groupKey: evaluator.group.key, ruleKey: rule.key, labels: ["alertname": "Down", "job": "a", "severity": "page"],
            annotations: ["summary": "down"], state: .firing, activeAt: 0, firedAt: 120_000, resolvedAt: nil,
            lastSentAt: nil, keepFiringSince: nil, validUntil: nil, value: "0"
        )])
        #expect(evaluator.status.rules[0].state == .firing)
        #expect(evaluator.status.rules[0].alerts.map(\.firedAt) == [120_000])
    }
}
