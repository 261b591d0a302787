import Foundation
import OutpostCore
import Rules
import TSDB
import Testing

@Suite struct AlertingRuleTests {
    static let downRule = """
        groups:
          - name: g
            rules:
              - alert: Down
                expr: up == 0
                for: 2m
                labels: {severity: page}
                annotations: {summary: down}
        """

    @Test func pendingUntilForElapsesThenFiring() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "job": "a"], [0, 0, 0, 0])
        let evaluator = try fixture.evaluator(Self.downRule)
        evaluator.evaluate(at: 0)
        var rule = evaluator.status.rules[0]
        #expect(rule.state == .pending)
        #expect(rule.alerts.count == 1)
        #expect(rule.alerts.first?.labels == ["alertname": "Down", "job": "a", "severity": "page"])
        #expect(rule.alerts.first?.annotations == ["summary": "down"])
        #expect(rule.alerts.first?.activeAt == 0)
        #expect(try fixture.query("ALERTS", at: 0).map(\.labels) == [
            ["__name__": "ALERTS", "alertname": "Down", "alertstate": "pending", "job": "a", "severity": "page"],
        ])
        evaluator.evaluate(at: 60_000)
        #expect(evaluator.status.rules[0].state == .pending)
        evaluator.evaluate(at: 120_000)
        rule = evaluator.status.rules[0]
        #expect(rule.state == .firing)
        #expect(rule.alerts.first?.firedAt == 120_000)
        #expect(rule.alerts.first?.value == 0)
        let alerts = try fixture.query("ALERTS", at: 120_000)
        #expect(alerts.map { $0.labels["alertstate"] } == ["firing"])
        #expect(try fixture.samples(["__name__": "ALERTS", "alertname": "Down", "alertstate": "pending", "job": "a", "severity": "page"])
            .last.map { StaleMarker.isStale($0.v) } == true, "the pending series goes stale when the alert fires")
        let forState = try fixture.query("ALERTS_FOR_STATE", at: 120_000)
        #expect(forState.map(\.value) == [0])
        #expect(forState.first?.labels["alertstate"] == nil)
    }

    @Test func resolvesWhenTheExpressionStopsMatching() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "job": "a"], [0, 0, 0, 1])
        let evaluator = try fixture.evaluator(Self.downRule)
        for t in stride(from: Int64(0), through: 180_000, by: 60_000) { evaluator.evaluate(at: t) }
        let rule = evaluator.status.rules[0]
        #expect(rule.state == .inactive)
        #expect(rule.alerts.isEmpty, "the API lists pending and firing alerts only")
        let records = evaluator.alertRecords()
        #expect(records.count == 1)
        #expect(records.first?.state == .inactive)
        #expect(records.first?.resolvedAt == 180_000)
        #expect(try fixture.query("ALERTS", at: 180_000).isEmpty)
        // Kept 15 minutes for notifications, then dropped.
        evaluator.evaluate(at: 180_000 + 15 * 60_000)
        #expect(evaluator.alertRecords().count == 1)
        evaluator.evaluate(at: 180_000 + 16 * 60_000)
        #expect(evaluator.alertRecords().isEmpty)
    }

    @Test func pendingAlertThatVanishesIsDropped() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "job": "a"], [0, 1])
        let evaluator = try fixture.evaluator(Self.downRule)
        evaluator.evaluate(at: 0)
        evaluator.evaluate(at: 60_000)
        #expect(evaluator.alertRecords().isEmpty)
    }

    @Test func keepFiringForHoldsAVanishedAlert() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "job": "a"], [0, 1, 1, 1])
        let evaluator = try fixture.evaluator("""
            groups: [{name: g, rules: [{alert: Down, expr: up == 0, keep_firing_for: 2m}]}]
            """)
        evaluator.evaluate(at: 0)
        #expect(evaluator.status.rules[0].state == .firing, "without for, an alert fires at once")
        evaluator.evaluate(at: 60_000)
        #expect(evaluator.status.rules[0].state == .firing)
        #expect(evaluator.status.rules[0].alerts.first?.keepFiringSince == 60_000)
        evaluator.evaluate(at: 120_000)
        #expect(evaluator.status.rules[0].state == .firing)
        evaluator.evaluate(at: 180_000)
        #expect(evaluator.status.rules[0].state == .inactive)
    }

    @Test func duplicateAlertLabelsAreAnError() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "a"], [0])
        try fixture.series(["__name__": "b"], [0])
        let evaluator = try fixture.evaluator("groups: [{name: g, rules: [{alert: X, expr: '{__name__=~\"a|b\"}'}]}]")
        #expect(evaluator.evaluate(at: 0).rules[0].lastError == "vector contains metrics with the same labelset after applying alert labels")
    }

    @Test func limitDropsAllAlertsOfTheRule() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "i": "1"], [0])
        try fixture.series(["__name__": "up", "i": "2"], [0])
        let evaluator = try fixture.evaluator("groups: [{name: g, limit: 1, rules: [{alert: X, expr: up == 0}]}]")
        #expect(evaluator.evaluate(at: 0).rules[0].lastError == "exceeded limit of 1 with 2 alerts")
        #expect(evaluator.alertRecords().isEmpty)
    }

    @Test func notificationsFollowResendDelayAndResolve() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "job": "a"], [0, 0, 1])
        let evaluator = try fixture.evaluator("groups: [{name: g, interval: 30s, rules: [{alert: Down, expr: up == 0}]}]",
                                              externalURL: "http://outpost:9090")
        evaluator.evaluate(at: 0)
        let first = evaluator.alertsToSend(at: 0, resendDelay: 60_000)
        #expect(first == [OutgoingAlert(
            labels: ["alertname": "Down", "job": "a"], annotations: [:], startsAt: 0, endsAt: 240_000,
            generatorURL: "http://outpost:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1"
        )])
        #expect(evaluator.alertsToSend(at: 30_000, resendDelay: 60_000).isEmpty, "not again within the resend delay")
        evaluator.evaluate(at: 60_000)
        let again = evaluator.alertsToSend(at: 61_000, resendDelay: 60_000)
        #expect(again.map(\.endsAt) == [61_000 + 240_000])
        evaluator.evaluate(at: 120_000)
        let resolved = evaluator.alertsToSend(at: 120_000, resendDelay: 60_000)
        #expect(resolved.map(\.endsAt) == [120_000], "a resolved alert is sent at once, ending at its resolve time")
        #expect(resolved.map(\.startsAt) == [0])
    }

    @Test func pendingAlertsAreNotSent() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "job": "a"], [0])
        let evaluator = try fixture.evaluator(Self.downRule)
        evaluator.evaluate(at: 0)
        #expect(evaluator.alertsToSend(at: 0).isEmpty)
    }

    @Test func restoredAlertsKeepProgressAndSentState() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "job": "a"], [0, 0, 0, 0, 0, 0])
        let yaml = """
            groups:
              - name: g
                rules:
                  - alert: Down
                    expr: up == 0
                    for: 2m
                  - alert: Always
                    expr: vector(1)
            """
        let before = try fixture.evaluator(yaml)
        before.evaluate(at: 0)
        before.evaluate(at: 60_000)
        _ = before.alertsToSend(at: 60_000)
        let records = before.alertRecords()
        #expect(records.map(\.state) == [.pending, .firing])

        let after = try fixture.evaluator(yaml)
        after.restore(records)
        #expect(after.alertsToSend(at: 90_000).isEmpty, "the firing alert was sent before the restart")
        after.evaluate(at: 120_000)
        let status = after.status
        #expect(status.rules[0].state == .firing, "for counts from the restored activeAt")
        #expect(status.rules[0].alerts.first?.activeAt == 0)
        #expect(status.rules[1].alerts.first?.lastSentAt == 60_000)
    }

    @Test func recordsSurviveJSON() throws {
        let record = AlertRecord(
            groupKey: "f;g", ruleKey: "Down{}", labels: ["alertname": "Down"], annotations: [:], state: .firing, activeAt: 1,
            firedAt: 2, resolvedAt: nil, lastSentAt: 3, keepFiringSince: nil, validUntil: 4, value: String(Double.nan)
        )
        let data = try JSONEncoder().encode(record)
        #expect(try JSONDecoder().decode(AlertRecord.self, from: data) == record)
    }

    @Test func copyStateKeepsAlertsOfMatchingRulesAndRetiresOthers() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "up", "job": "a"], [0, 0, 0])
        let old = try fixture.evaluator("""
            groups: [{name: g, rules: [{alert: Down, expr: up == 0}, {record: gone, expr: up}]}]
            """)
        old.evaluate(at: 0)
        let new = try fixture.evaluator("""
            groups: [{name: g, rules: [{alert: Down, expr: up == 0}]}]
            """)
        new.copyState(from: old)
        #expect(new.status.rules[0].state == .firing)
        #expect(new.status.rules[0].health == .ok)
        #expect(new.alertsToSend(at: 0).count == 1)
        new.evaluate(at: 60_000)
        #expect(new.status.rules[0].alerts.first?.activeAt == 0)
        #expect(try fixture.samples(["__name__": "gone", "job": "a"]).last.map { StaleMarker.isStale($0.v) } == true)
    }

    @Test func labelsAndAnnotationsAreTemplated() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "temp", "room": "lab"], [41.5])
        let group = try fixture.groups("""
            groups:
              - name: g
                rules:
                  - alert: Hot
                    expr: temp > 40
                    labels: {where: "{{ $labels.room }}", empty: "{{ if false }}x{{ end }}"}
                    annotations:
                      summary: "{{ $labels.room }} is {{ $value }} in {{ $externalLabels.dc }}"
                      link: "{{ $externalURL }}/x"
                      count: '{{ query "count(temp)" | first | value }}'
            """)[0]
        let evaluator = RuleGroupEvaluator(group: group, engine: fixture.engine, head: fixture.head,
                                           externalLabels: ["dc": "east"], externalURL: "http://o:9090")
        evaluator.evaluate(at: 0)
        let alert = try #require(evaluator.status.rules[0].alerts.first)
        #expect(alert.labels == ["alertname": "Hot", "room": "lab", "where": "lab"], "an empty expansion drops the label")
        #expect(alert.annotations == ["summary": "lab is 41.5 in east", "link": "http://o:9090/x", "count": "1"])
    }

    /// As Prometheus's notifier does, sent alerts carry the external labels they do not set
    /// themselves; the rule's own labels win.
    @Test func sentAlertsCarryExternalLabels() throws {
        let fixture = RuleFixture()
        try fixture.series(["__name__": "temp", "room": "lab", "dc": "west"], [41.5])
        let group = try fixture.groups("""
            groups:
              - name: g
                rules:
                  - alert: Hot
                    expr: temp > 40
            """)[0]
        let evaluator = RuleGroupEvaluator(group: group, engine: fixture.engine, head: fixture.head,
                                           externalLabels: ["dc": "east", "site": "lab1"])
        evaluator.evaluate(at: 0)
        #expect(evaluator.status.rules[0].alerts.first?.labels == ["alertname": "Hot", "room": "lab", "dc": "west"])
        let sent = evaluator.alertsToSend(at: 0)
        #expect(sent.map(\.labels) == [["alertname": "Hot", "room": "lab", "dc": "west", "site": "lab1"]])
    }
}
