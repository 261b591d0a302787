import Foundation
import OutpostCore
import Testing
import Yams
@testable import Alerting

@Suite struct ServiceTests {
    @Test func malformedAlertsAreRefusedOneByOne() async throws {
        let harness = try ServiceHarness(yaml: GroupingTests.yaml("http://127.0.0.1:9/"))
        let errors = await harness.service.receive([
            alert(["alertname": "Fine"]), PostableAlert(labels: ["0bad": "x"]), PostableAlert(labels: [:]),
        ])
        #expect(errors.map(\.index) == [1, 2])
        #expect(errors.map(\.error.message) == ["invalid label name \"0bad\"", "at least one label pair required"])
        #expect(await harness.service.currentAlerts().count == 1)
    }

    @Test func credentialsAndProxyAreUsed() async throws {
        let proxy = try WebhookReceiver()
        defer { proxy.stop() }
        let yaml = """
        route: {receiver: hook, group_wait: 0s}
        receivers:
          - name: hook
            webhook_configs:
              - url: http://hooks.example:8080/notify?x=1
                http_config: {basic_auth: {username: user, password: secret}, proxy_url: "http://127.0.0.1:\(proxy.port)"}
        """
        let harness = try ServiceHarness(yaml: yaml)
        await harness.post([alert(["alertname": "Down"])])
        let request = try #require(proxy.requests.first)
        #expect(request.path == "http://hooks.example:8080/notify?x=1")
        #expect(request.headers["host"] == "hooks.example:8080")
        #expect(request.headers["authorization"] == "Basic " + Data("user:secret".utf8).base64EncodedString())
    }

    @Test func configFileIsReadRelativeToOutpostYml() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("am-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "route: {receiver: r, routes: [{matchers: ['a=~\"(\"']}]}\nreceivers: [{name: r}]\n"
            .write(to: directory.appendingPathComponent("alertmanager.yml"), atomically: true, encoding: .utf8)
        let node = try #require(try Yams.compose(yaml: "config_file: alertmanager.yml"))
        let outer = directory.appendingPathComponent("outpost.yml").path
        #expect {
            try AlertingConfig.load(section: ConfigSection(node: node, codingPath: [ConfigKey("alerting")]), file: outer)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.file.hasSuffix("/alertmanager.yml") && error.line == 1 && error.column == 47
                && error.message == "invalid matcher: invalid regular expression \"(\""
        }
    }

    @Test func reloadRegroupsAlertsWithoutRepeatingNotifications() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let harness = try ServiceHarness(yaml: GroupingTests.yaml(receiver.url))
        await harness.post([alert(["alertname": "Down", "instance": "a"])])
        await harness.advance(by: .seconds(30))
        #expect(receiver.requests.count == 1)
        await harness.service.reload(try AlertingConfig.parse(yaml: GroupingTests.yaml(receiver.url, route: "group_by: [instance]"), file: "t.yml"))
        await harness.advance(by: .seconds(30))
        #expect(receiver.requests.count == 2, "a new group key is a new notification")
        #expect(receiver.requests[1].json["groupKey"] as? String == #"{}:{instance="a"}"#)
        await harness.service.reload(try AlertingConfig.parse(yaml: GroupingTests.yaml(receiver.url, route: "group_by: [instance]"), file: "t.yml"))
        await harness.advance(by: .seconds(30))
        #expect(receiver.requests.count == 2, "the same group after a reload is deduplicated")
    }

    @Test func gaugesReportAlertsGroupsAndSilences() async throws {
        let harness = try ServiceHarness(yaml: GroupingTests.yaml("http://127.0.0.1:9/"))
        let now = harness.clock.now()
        try await harness.service.upsertSilence(Silence(matchers: [Matcher(name: "instance", kind: .equal, value: "b")], startsAt: now,
                                                        endsAt: now + 60_000, createdBy: "me", comment: "test"))
        await harness.service.receive([alert(["alertname": "Down", "instance": "a"]), alert(["alertname": "Down", "instance": "b"]),
                                       alert(["alertname": "Other"])])
        await harness.service.processDue()
        #expect(harness.counter("outpost_alerts", ["state": "unprocessed"]) == 2)
        #expect(harness.counter("outpost_alerts", ["state": "suppressed"]) == 1)
        #expect(harness.counter("outpost_aggregation_groups", Labels()) == 2)
        #expect(harness.counter("outpost_silences", ["state": "active"]) == 1)
        let groups = await harness.service.currentGroups()
        #expect(groups.map(\.groupKey) == [#"{}:{alertname="Down"}"#, #"{}:{alertname="Other"}"#])
        #expect(groups.first?.alerts.map { $0.alert.labels["instance"] } == ["a", "b"])
        #expect(await harness.service.receiverNames() == ["hook"])
    }
}
