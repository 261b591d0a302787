import Foundation
import OutpostCore
import Testing
@testable import Alerting

@Suite struct GroupingTests {
    static func yaml(_ url: String, route: String = "group_by: [alertname]", webhook: String = "", extra: String = "") -> String {
        """
        global: {resolve_timeout: 24h}
        route:
          receiver: hook
          \(route)
        receivers:
          - name: hook
            webhook_configs: [{url: "\(url)"\(webhook)}]
        \(extra)
        """
    }

    @Test func fiftyTargetsDownAreOneMessageAfterGroupWait() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url))
        await harness.post((0..<50).map { alert(["alertname": "Down", "instance": "host\($0)", "job": "node"]) })
        await harness.advance(by: .seconds(29))
        #expect(receiver.requests.isEmpty)
        await harness.advance(by: .seconds(1))
        let requests = receiver.requests
        try #require(requests.count == 1)
        let body = requests[0].json
        #expect(requests[0].method == "POST")
        #expect(requests[0].path == "/hook")
        #expect(requests[0].headers["user-agent"] == "Outpost/test")
        #expect(requests[0].headers["content-type"] == "application/json")
        #expect(body["version"] as? String == "4")
        #expect(body["status"] as? String == "firing")
        #expect(body["receiver"] as? String == "hook")
        #expect(body["groupKey"] as? String == #"{}:{alertname="Down"}"#)
        #expect(body["truncatedAlerts"] as? Int == 0)
        #expect(body["externalURL"] as? String == "http://outpost.example:9090")
        #expect(body["groupLabels"] as? [String: String] == ["alertname": "Down"])
        #expect(body["commonLabels"] as? [String: String] == ["alertname": "Down", "job": "node"])
        #expect(body["commonAnnotations"] as? [String: String] == ["summary": "it broke"])
        let alerts = try #require(body["alerts"] as? [[String: Any]])
        #expect(alerts.count == 50)
        let first = alerts[0]
        #expect(first["status"] as? String == "firing")
        #expect(first["labels"] as? [String: String] == ["alertname": "Down", "instance": "host0", "job": "node"])
        #expect(first["startsAt"] as? String == RFC3339.format(ServiceHarness.start))
        #expect(first["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(first["generatorURL"] as? String == "http://prometheus/graph")
        #expect(first["fingerprint"] as? String == Fingerprint(["alertname": "Down", "instance": "host0", "job": "node"]).description)
        // Sorted by instance within the job, as Alertmanager sorts.
        #expect(alerts.map { ($0["labels"] as? [String: String])?["instance"] ?? "" } == (0..<50).map { "host\($0)" }.sorted())
        #expect(harness.counter("outpost_notifications_total", ["receiver": "hook", "integration": "webhook"]) == 1)
    }

    @Test func groupIntervalBatchesNewAlertsAndRepeatIntervalRepeats() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url, route: "group_by: [alertname]\n  repeat_interval: 1h"))
        await harness.post([alert(["alertname": "Down", "instance": "a"])])
        await harness.advance(by: .seconds(30))
        #expect(receiver.requests.count == 1)
        await harness.advance(by: .seconds(60))
        await harness.post([alert(["alertname": "Down", "instance": "b"])])
        await harness.advance(by: .seconds(180))
        #expect(receiver.requests.count == 1, "a new alert waits for group_interval")
        await harness.advance(by: .seconds(60))
        #expect(receiver.requests.count == 2)
        #expect((receiver.requests[1].json["alerts"] as? [Any])?.count == 2)
        // Nothing changes: no message at the next intervals until repeat_interval has passed.
        for _ in 0..<11 { await harness.advance(by: .seconds(300)) }
        #expect(receiver.requests.count == 2)
        await harness.advance(by: .seconds(300))
        #expect(receiver.requests.count == 3, "repeat after an hour")
    }

    @Test func resolvedAlertsAreSentOnceAndTheGroupEnds() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url))
        await harness.post([alert(["alertname": "Down", "instance": "a"]), alert(["alertname": "Down", "instance": "b"])])
        await harness.advance(by: .seconds(30))
        let now = harness.clock.now()
        await harness.post([alert(["alertname": "Down", "instance": "a"], startsAt: ServiceHarness.start, endsAt: now)])
        await harness.advance(by: .seconds(300))
        try #require(receiver.requests.count == 2)
        let second = receiver.requests[1].json
        #expect(second["status"] as? String == "firing")
        let statuses = (second["alerts"] as? [[String: Any]])?.map { $0["status"] as? String }
        #expect(statuses == ["resolved", "firing"])
        #expect((second["alerts"] as? [[String: Any]])?.first?["endsAt"] as? String == RFC3339.format(now))
        await harness.post([alert(["alertname": "Down", "instance": "b"], startsAt: ServiceHarness.start, endsAt: harness.clock.now())])
        await harness.advance(by: .seconds(300))
        try #require(receiver.requests.count == 3)
        #expect(receiver.requests[2].json["status"] as? String == "resolved")
        await harness.advance(by: .seconds(300))
        #expect(receiver.requests.count == 3)
        #expect(await harness.service.currentGroups().isEmpty)
    }

    @Test func sendResolvedFalseSkipsResolvedMessages() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url, webhook: ", send_resolved: false"))
        await harness.post([alert(["alertname": "Down", "instance": "a"])])
        await harness.advance(by: .seconds(30))
        await harness.post([alert(["alertname": "Down", "instance": "a"], startsAt: ServiceHarness.start, endsAt: harness.clock.now())])
        await harness.advance(by: .seconds(300))
        #expect(receiver.requests.count == 1)
        // It fires again: the log was cleared by the resolution, so this is news.
        await harness.post([alert(["alertname": "Down", "instance": "a"])])
        await harness.advance(by: .seconds(30))
        #expect(receiver.requests.count == 2)
    }

    @Test func oldAlertsFlushAtOnceAsAfterARestart() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url))
        await harness.post([alert(["alertname": "Down"], startsAt: ServiceHarness.start - 3_600_000)])
        #expect(receiver.requests.count == 1)
    }

    @Test func maxAlertsTruncates() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url, webhook: ", max_alerts: 3"))
        await harness.post((0..<5).map { alert(["alertname": "Down", "instance": "h\($0)"]) })
        await harness.advance(by: .seconds(30))
        let body = try #require(receiver.requests.first?.json)
        #expect((body["alerts"] as? [Any])?.count == 3)
        #expect(body["truncatedAlerts"] as? Int == 2)
    }

    @Test func groupByAllLabelsSendsOneMessagePerAlert() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url, route: "group_by: ['...']\n  group_wait: 0s"))
        await harness.post((0..<4).map { alert(["alertname": "Down", "instance": "h\($0)"]) })
        await harness.service.drainDeliveries()
        #expect(receiver.requests.count == 4)
        let keys = Set(receiver.requests.compactMap { $0.json["groupKey"] as? String })
        #expect(keys.contains(#"{}:{alertname="Down", instance="h2"}"#))
        #expect(await harness.service.currentGroups().count == 4)
    }

    @Test func continueSendsToSeveralReceivers() async throws {
        let first = try WebhookReceiver()
        let second = try WebhookReceiver()
        defer { first.stop(); second.stop() }
        let yaml = """
        global: {resolve_timeout: 24h}
        route:
          receiver: a
          group_wait: 0s
          routes:
            - {matchers: ['team="db"'], receiver: a, continue: true}
            - {matchers: ['severity="page"'], receiver: b}
        receivers:
          - {name: a, webhook_configs: [{url: "\(first.url)"}]}
          - {name: b, webhook_configs: [{url: "\(second.url)"}]}
        """
        let harness = try ServiceHarness(yaml: yaml)
        await harness.post([alert(["alertname": "X", "team": "db", "severity": "page"])])
        #expect(first.requests.count == 1)
        #expect(second.requests.count == 1)
        #expect(first.requests.first?.json["groupKey"] as? String == #"{}/{team="db"}:{}"#)
        #expect(second.requests.first?.json["groupKey"] as? String == #"{}/{severity="page"}:{}"#)
    }
}
