import Foundation
import Yams
import OutpostCore
import Testing
@testable import Alerting

@Suite struct OutboxTests {
    static func yaml(_ url: String) -> String {
        GroupingTests.yaml(url, route: "group_by: [alertname]\n  group_wait: 0s")
    }

    @Test func serverErrorsAreRetriedWithBackoffUntilTheReceiverRecovers() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.script([503, 500])
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url))
        await harness.post([alert(["alertname": "Down"])])
        #expect(receiver.requests.count == 1)
        // The first retry comes after 0.5 to 1.5 seconds, the second after 1 to 3 more.
        await harness.advance(by: .milliseconds(400))
        #expect(receiver.requests.count == 1)
        await harness.advance(by: .milliseconds(1100))
        #expect(receiver.requests.count == 2)
        await harness.advance(by: .seconds(3))
        #expect(receiver.requests.count == 3)
        await harness.advance(by: .seconds(60))
        #expect(receiver.requests.count == 3)
        #expect(receiver.requests.allSatisfy { $0.body == receiver.requests[0].body })
        let labels: Labels = ["receiver": "hook", "integration": "webhook"]
        #expect(harness.counter("outpost_notifications_total", labels) == 3)
        #expect(harness.counter("outpost_notifications_failed_total", labels.merging(["reason": "serverError"])) == 2)
        #expect(harness.counter("outpost_outbox_pending", Labels()) == 0)
    }

    @Test func clientErrorsAreDroppedAndCounted() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.script([400])
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url))
        await harness.post([alert(["alertname": "Down"])])
        await harness.advance(by: .seconds(600))
        #expect(receiver.requests.count == 1)
        #expect(harness.counter("outpost_notifications_failed_total", ["receiver": "hook", "integration": "webhook", "reason": "clientError"]) == 1)
    }

    @Test func aDownReceiverGetsTheMessageWhenItComesBack() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.setAnswering(false)
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url))
        await harness.post([alert(["alertname": "Down"])])
        await harness.advance(by: .seconds(2))
        #expect(receiver.requests.isEmpty)
        receiver.setAnswering(true)
        await harness.advance(by: .seconds(600))
        #expect(receiver.requests.count == 1)
    }

    @Test func pendingMessagesAreReplayedAfterARestartWithoutDuplicates() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.setAnswering(false)
        let first = try ServiceHarness(yaml: Self.yaml(receiver.url))
        await first.post([alert(["alertname": "Down", "instance": "a"], startsAt: ServiceHarness.start)])
        #expect(receiver.requests.isEmpty)
        // The process dies here; a new one opens the same storage.
        receiver.setAnswering(true)
        let second = try ServiceHarness(yaml: Self.yaml(receiver.url), clock: first.clock, storage: first.storage)
        await second.service.processDue()
        await second.service.drainDeliveries()
        #expect(receiver.requests.count == 1)
        // Prometheus sends the alert again: the persisted log knows it was notified.
        await second.post([alert(["alertname": "Down", "instance": "a"], startsAt: ServiceHarness.start)])
        await second.advance(by: .seconds(600))
        #expect(receiver.requests.count == 1)
        #expect((receiver.requests[0].json["alerts"] as? [Any])?.count == 1)
    }

    @Test func messagesOfOneGroupAreDeliveredInOrder() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.setAnswering(false)
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url))
        await harness.post([alert(["alertname": "Down", "instance": "a"])])
        await harness.advance(by: .seconds(10))
        await harness.post([alert(["alertname": "Down", "instance": "b"])])
        await harness.advance(by: .seconds(290))
        #expect(await harness.service.outbox.count == 2)
        receiver.setAnswering(true)
        await harness.advance(by: .seconds(600))
        #expect(receiver.requests.map { ($0.json["alerts"] as? [Any])?.count } == [1, 2])
        #expect(await harness.service.outbox.isEmpty)
    }

    @Test func alertsAreForwardedToExternalAlertmanagers() async throws {
        let receiver = try WebhookReceiver()
        let alertmanager = try WebhookReceiver()
        defer { receiver.stop(); alertmanager.stop() }
        let section = """
        alertmanagers: [{url: "http://127.0.0.1:\(alertmanager.port)"}]
        route: {receiver: hook}
        receivers: [{name: hook, webhook_configs: [{url: "\(receiver.url)"}]}]
        """
        let node = try #require(try Yams.compose(yaml: section))
        let config = try AlertingConfig.load(section: ConfigSection(node: node, codingPath: []), file: "outpost.yml")
        #expect(config.alertmanagers.count == 1)
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url))
        await harness.service.reload(config)
        await harness.post([alert(["alertname": "Down"], startsAt: ServiceHarness.start, endsAt: ServiceHarness.start + 60_000)])
        let requests = try await alertmanager.waitForRequests(1)
        #expect(requests.first?.path == "/api/v2/alerts")
        let body = try #require(requests.first.flatMap { try? JSONSerialization.jsonObject(with: $0.body) as? [[String: Any]] })
        #expect(body.first?["labels"] as? [String: String] == ["alertname": "Down"])
        #expect(body.first?["endsAt"] as? String == RFC3339.format(ServiceHarness.start + 60_000))
    }

    @Test func runLoopDeliversWithoutManualSteps() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let harness = try ServiceHarness(yaml: GroupingTests.yaml(receiver.url, route: "group_by: [alertname]\n  group_wait: 10s"))
        let running = Task { try await harness.service.run() }
        await harness.service.receive([alert(["alertname": "Down"])])
        while harness.clock.sleeperCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        harness.clock.advance(by: .seconds(10))
        #expect(try await receiver.waitForRequests(1).count == 1)
        running.cancel()
        try? await running.value
    }
}
