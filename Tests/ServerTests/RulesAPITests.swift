import Foundation
import Logging
import OutpostCore
import OutpostMetrics
import OutpostTestSupport
import PromQL
import Rules
@testable import Server
import Testing
import TSDB

/// `/api/v1/rules` and `/api/v1/alerts` over one group evaluated at t = 60 s, with
/// `up{instance="a"}` = 0 and `up{instance="b"}` = 1 from 0 s.
@Suite struct RulesAPITests {
    static let rules = """
        groups:
          - name: availability
            interval: 30s
            rules:
              - record: job:up:sum
                expr: sum(up)
              - alert: Down
                expr: up == 0
                for: 1m
                labels: {severity: page}
                annotations: {summary: "{{ $labels.instance }} is down"}
              - alert: Broken
                expr: up{instance="a"} + on() group_left up
        """

    private func manager() throws -> RuleManager {
        let head = Head()
        for t in stride(from: Int64(0), through: 60_000, by: 15_000) {
            try head.append(["__name__": "up", "instance": "a"], t, 0)
            try head.append(["__name__": "up", "instance": "b"], t, 1)
        }
        let manager = try RuleManager(head: head, engine: Engine(queryable: head), registry: MetricsRegistry(),
                                      clock: ManualClock(now: 60_000), store: nil, sink: nil, logger: Logger(label: "test"))
        manager.update(groups: try RuleFileLoader.parse(yaml: Self.rules, file: "rules.yml").get(), options: RuleManager.Options())
        return manager
    }

    private func data(_ response: LoopbackHTTPClient.Response) throws -> [String: Any] {
        #expect(response.status == 200, "\(response.text)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(body["status"] as? String == "success")
        return try #require(body["data"] as? [String: Any])
    }

    private func withServer(_ manager: RuleManager, _ body: (LoopbackHTTPClient) async throws -> Void) async throws {
        let query = QueryService(head: Head(), clock: ManualClock(now: 60_000))
        try await withRunningServer(ServerDependencies(registry: MetricsRegistry(), reload: { nil }, isReady: { true },
                                                       query: query, rules: manager), body)
    }

    @Test func listsGroupsRulesAndAlertsInPrometheusShapes() async throws {
        let manager = try manager()
        await manager.evaluate(groupKey: "rules.yml;availability", at: 0)
        await manager.evaluate(groupKey: "rules.yml;availability", at: 60_000)
        try await withServer(manager) { client in
            let data = try data(try await client.request("GET", "/api/v1/rules"))
            let groups = try #require(data["groups"] as? [[String: Any]])
            #expect(groups.count == 1)
            let group = groups[0]
            #expect(group["name"] as? String == "availability")
            #expect(group["file"] as? String == "rules.yml")
            #expect(group["interval"] as? Double == 30)
            #expect(group["lastEvaluation"] as? String == "1970-01-01T00:01:00Z")
            let rules = try #require(group["rules"] as? [[String: Any]])
            #expect(rules.map { $0["type"] as? String } == ["recording", "alerting", "alerting"])
            #expect(rules[0]["name"] as? String == "job:up:sum")
            #expect(rules[0]["health"] as? String == "ok")
            #expect(rules[0]["alerts"] == nil)
            let down = rules[1]
            #expect(down["state"] as? String == "firing")
            #expect(down["duration"] as? Double == 60)
            #expect(down["labels"] as? [String: String] == ["severity": "page"])
            let alerts = try #require(down["alerts"] as? [[String: Any]])
            #expect(alerts.count == 1)
            #expect(alerts[0]["labels"] as? [String: String] == ["alertname": "Down", "instance": "a", "severity": "page"])
            #expect(alerts[0]["state"] as? String == "firing")
            #expect(alerts[0]["activeAt"] as? String == "1970-01-01T00:00:00Z")
            #expect(alerts[0]["value"] as? String == "0.0000000000e+00")
            #expect(rules[2]["health"] as? String == "err")
            #expect((rules[2]["lastError"] as? String)?.isEmpty == false)
        }
    }

    @Test func filtersByTypeAndNameAndCanLeaveOutAlerts() async throws {
        let manager = try manager()
        await manager.evaluate(groupKey: "rules.yml;availability", at: 60_000)
        try await withServer(manager) { client in
            let recording = try data(try await client.request("GET", "/api/v1/rules?type=record"))
            let rules = ((recording["groups"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]]) ?? []
            #expect(rules.map { $0["name"] as? String } == ["job:up:sum"])
            let named = try data(try await client.request("GET", "/api/v1/rules?rule_name[]=Down&exclude_alerts=true"))
            let down = ((named["groups"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]]) ?? []
            #expect(down.count == 1)
            #expect(down.first?["alerts"] == nil)
            let none = try data(try await client.request("GET", "/api/v1/rules?rule_group[]=other"))
            #expect((none["groups"] as? [Any])?.isEmpty == true)
            let bad = try await client.request("GET", "/api/v1/rules?type=bogus")
            #expect(bad.status == 400)
        }
    }

    @Test func listsActiveAlerts() async throws {
        let manager = try manager()
        await manager.evaluate(groupKey: "rules.yml;availability", at: 60_000)
        try await withServer(manager) { client in
            let data = try data(try await client.request("GET", "/api/v1/alerts"))
            let alerts = try #require(data["alerts"] as? [[String: Any]])
            #expect(alerts.count == 1)
            #expect(alerts.first?["state"] as? String == "pending")
            #expect(alerts.first?["annotations"] as? [String: String] == ["summary": "a is down"])
        }
    }
}
