import Foundation
import OutpostCore
import Testing
@testable import Alerting

@Suite struct MutingTests {
    @Test func inhibitionMutesTargetsWithEqualLabelsButNeverItself() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let yaml = GroupingTests.yaml(receiver.url, route: "group_by: ['...']\n  group_wait: 0s", extra: """
        inhibit_rules:
          - source_matchers: [severity="critical"]
            target_matchers: [severity=~"warning|critical"]
            equal: [cluster]
        """)
        let harness = try ServiceHarness(yaml: yaml)
        await harness.post([alert(["alertname": "ClusterDown", "severity": "critical", "cluster": "eu"])])
        // Muted: same cluster. Not muted: another cluster. A missing label equals a missing one.
        await harness.post([
            alert(["alertname": "Slow", "severity": "warning", "cluster": "eu"]),
            alert(["alertname": "Slow", "severity": "warning", "cluster": "us"]),
        ])
        let names = receiver.requests.compactMap { ($0.json["commonLabels"] as? [String: String]).map { "\($0["alertname"]!)/\($0["cluster"]!)" } }
        #expect(names.sorted() == ["ClusterDown/eu", "Slow/us"])
        let snapshots = await harness.service.currentAlerts()
        let muted = try #require(snapshots.first { $0.alert.labels["cluster"] == "eu" && $0.alert.labels["alertname"] == "Slow" })
        #expect(muted.state == .suppressed)
        #expect(muted.inhibitedBy == [Fingerprint(["alertname": "ClusterDown", "severity": "critical", "cluster": "eu"]).description])
        let source = try #require(snapshots.first { $0.alert.labels["alertname"] == "ClusterDown" })
        #expect(source.state == .active, "an alert matching both sides does not inhibit itself")
    }

    @Test func inhibitionTreatsMissingEqualLabelsAsEmpty() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let yaml = GroupingTests.yaml(receiver.url, route: "group_by: ['...']\n  group_wait: 0s", extra: """
        inhibit_rules: [{source_matchers: [severity=critical], target_matchers: [severity=warning], equal: [cluster]}]
        """)
        let harness = try ServiceHarness(yaml: yaml)
        await harness.post([alert(["alertname": "A", "severity": "critical"]), alert(["alertname": "B", "severity": "warning"])])
        #expect(receiver.requests.count == 1)
    }

    @Test func silencesMuteUntilExpiredAndSurviveRestarts() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let yaml = GroupingTests.yaml(receiver.url)
        let harness = try ServiceHarness(yaml: yaml)
        let now = harness.clock.now()
        let silence = try await harness.service.upsertSilence(Silence(
            matchers: MatcherParser.parseMatchers(#"{alertname="Down", instance=~"a|b"}"#), startsAt: now, endsAt: now + 3_600_000,
            createdBy: "ops", comment: "maintenance"))
        #expect(!silence.id.isEmpty)
        await harness.post([alert(["alertname": "Down", "instance": "a"])])
        await harness.advance(by: .seconds(30))
        #expect(receiver.requests.isEmpty)
        #expect(await harness.service.currentAlerts().first?.silencedBy == [silence.id])

        let restarted = try ServiceHarness(yaml: yaml, clock: harness.clock, storage: harness.storage)
        #expect(await restarted.service.silence(id: silence.id)?.comment == "maintenance")
        try await restarted.service.expireSilence(id: silence.id)
        #expect(await restarted.service.silence(id: silence.id)?.state(at: harness.clock.now()) == .expired)
        await restarted.post([alert(["alertname": "Down", "instance": "a"])])
        await restarted.advance(by: .seconds(30))
        #expect(receiver.requests.count == 1)
    }

    @Test func silenceValidation() async throws {
        let harness = try ServiceHarness(yaml: GroupingTests.yaml("http://127.0.0.1:9/"))
        let now = harness.clock.now()
        await #expect(throws: SilenceError.invalid("at least one matcher must not match the empty string")) {
            try await harness.service.upsertSilence(Silence(matchers: MatcherParser.parseMatchers("a=~\".*\""), startsAt: now,
                                                            endsAt: now + 1000, createdBy: "x", comment: "y"))
        }
        await #expect(throws: SilenceError.notFound("nope")) { try await harness.service.expireSilence(id: "nope") }
    }

    @Test func muteTimeIntervalsHoldNotificationsBack() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        // The harness clock starts on a Saturday.
        let yaml = """
        global: {resolve_timeout: 24h}
        route:
          receiver: hook
          group_wait: 0s
          routes:
            - {matchers: [team=db], mute_time_intervals: [weekend]}
            - {matchers: [team=web], active_time_intervals: [weekend]}
            - {matchers: [team=api], active_time_intervals: [office]}
        receivers: [{name: hook, webhook_configs: [{url: "\(receiver.url)"}]}]
        time_intervals:
          - {name: weekend, time_intervals: [{weekdays: [saturday, sunday]}]}
          - {name: office, time_intervals: [{weekdays: ['monday:friday'], times: [{start_time: '09:00', end_time: '17:00'}]}]}
        """
        let harness = try ServiceHarness(yaml: yaml)
        await harness.post([alert(["alertname": "X", "team": "db"]), alert(["alertname": "X", "team": "web"]), alert(["alertname": "X", "team": "api"])])
        #expect(receiver.requests.compactMap { ($0.json["commonLabels"] as? [String: String])?["team"] } == ["web"])
    }
}
