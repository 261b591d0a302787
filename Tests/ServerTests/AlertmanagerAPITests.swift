import Alerting
import Foundation
import Logging
import OutpostCore
import OutpostMetrics
import OutpostTestSupport
import Server
import Testing

/// Alertmanager's v2 API served by the real HTTP server over an `AlertingService` on a manual
/// clock, with its webhook pointing at a closed port so nothing leaves the machine.
@Suite struct AlertmanagerAPITests {
    static let start: UnixMillis = 1_795_257_000_000
    static let yaml = """
    route:
      receiver: hook
      group_by: [alertname]
      group_wait: 0s
      routes: [{matchers: ['severity="page"'], receiver: pager, group_wait: 0s}]
    receivers:
      - name: hook
        webhook_configs: [{url: "http://127.0.0.1:9/"}]
      - name: pager
        webhook_configs: [{url: "http://127.0.0.1:9/page"}]
    inhibit_rules:
      - {source_matchers: [severity="critical"], target_matchers: [severity="warning"], equal: [alertname]}
    """

    let clock = ManualClock(now: start)
    let service: AlertingService

    init() throws {
        let storage = FileManager.default.temporaryDirectory.appendingPathComponent("amapi-\(UUID().uuidString)").path
        service = try AlertingService(config: try AlertingConfig.parse(yaml: Self.yaml, file: "test.yml"), storagePath: storage,
                                      registry: MetricsRegistry(), clock: clock, logger: Logger(label: "test"), userAgent: "Outpost/9.8.7")
    }

    private func withAPI(_ body: (LoopbackHTTPClient) async throws -> Void) async throws {
        let dependencies = ServerDependencies(registry: MetricsRegistry(), reload: { nil }, isReady: { true }, alerting: service)
        try await withRunningServer(dependencies, body)
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ response: LoopbackHTTPClient.Response) throws -> Value {
        try JSONDecoder().decode(type, from: Data(response.body))
    }

    private func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    private func time(_ offsetSeconds: Int64) -> String { RFC3339.format(Self.start + offsetSeconds * 1000) }

    private static let twoAlerts = """
    [{"labels": {"alertname": "Down", "instance": "a"}, "annotations": {"summary": "a is down"}},
     {"labels": {"alertname": "Disk", "severity": "page"}, "generatorURL": "http://prometheus/graph"}]
    """

    @Test func postedAlertsAreListedAndFiltered() async throws {
        try await withAPI { client in
            let posted = try await client.request("POST", "/api/v2/alerts", headers: ["Content-Type": "application/json"], body: Self.twoAlerts)
            #expect(posted.status == 200)

            let all = try decode([AlertmanagerAPI.GettableAlert].self, try await client.request("GET", "/api/v2/alerts"))
            #expect(Set(all.map { $0.labels["alertname"] }) == ["Down", "Disk"])
            let down = try #require(all.first { $0.labels["alertname"] == "Down" })
            #expect(down.annotations == ["summary": "a is down"])
            #expect(down.startsAt == time(0))
            #expect(down.receivers.map(\.name) == ["hook"])
            #expect(down.status.state == "active")
            let disk = try #require(all.first { $0.labels["alertname"] == "Disk" })
            #expect(disk.receivers.map(\.name) == ["pager"])
            #expect(disk.generatorURL == "http://prometheus/graph")

            let paged = try decode([AlertmanagerAPI.GettableAlert].self,
                                   try await client.request("GET", "/api/v2/alerts?filter=" + query("severity=\"page\"")))
            #expect(paged.map { $0.labels["alertname"] } == ["Disk"])
            let bothFilters = try await client.request("GET", "/api/v2/alerts?filter=" + query("alertname=~\"D.*\"") + "&filter=" + query("instance=\"a\""))
            #expect(try decode([AlertmanagerAPI.GettableAlert].self, bothFilters).map { $0.labels["alertname"] } == ["Down"])
            let byReceiver = try decode([AlertmanagerAPI.GettableAlert].self, try await client.request("GET", "/api/v2/alerts?receiver=pag.*"))
            #expect(byReceiver.map { $0.labels["alertname"] } == ["Disk"])
            let inactive = try decode([AlertmanagerAPI.GettableAlert].self, try await client.request("GET", "/api/v2/alerts?active=false"))
            #expect(inactive.isEmpty)
        }
    }

    @Test func groupsFollowTheRouteTree() async throws {
        try await withAPI { client in
            #expect(try await client.request("POST", "/api/v2/alerts", body: Self.twoAlerts).status == 200)
            let groups = try decode([AlertmanagerAPI.AlertGroup].self, try await client.request("GET", "/api/v2/alerts/groups"))
            let byReceiver = Dictionary(uniqueKeysWithValues: groups.map { ($0.receiver.name, $0) })
            #expect(byReceiver.keys.sorted() == ["hook", "pager"])
            #expect(byReceiver["hook"]?.labels == ["alertname": "Down"])
            #expect(byReceiver["hook"]?.alerts.map(\.labels) == [["alertname": "Down", "instance": "a"]])
            #expect(byReceiver["pager"]?.labels == ["alertname": "Disk"])
            let filtered = try decode([AlertmanagerAPI.AlertGroup].self,
                                      try await client.request("GET", "/api/v2/alerts/groups?filter=" + query("instance=\"a\"")))
            #expect(filtered.map(\.receiver.name) == ["hook"])
        }
    }

    @Test func malformedAlertsAreRefusedAndTheRestKept() async throws {
        try await withAPI { client in
            let batch = """
            [{"labels": {"alertname": "Fine"}}, {"labels": {"0bad": "x"}}, {"labels": 5}, "text",
             {"labels": {"alertname": "Late"}, "startsAt": "yesterday"}, {"labels": {"alertname": "AlsoFine"}}]
            """
            let response = try await client.request("POST", "/api/v2/alerts", body: batch)
            #expect(response.status == 400)
            let message = try decode(String.self, response)
            #expect(message.hasPrefix("4 of 6 alerts refused: alerts[1]: invalid label name \"0bad\"; alerts[2]: malformed \"labels\""))
            #expect(message.contains("; alerts[3]: expected an alert object; alerts[4]: startsAt \"yesterday\" is not an RFC 3339 time"))
            #expect(!message.contains("alerts[0]") && !message.contains("alerts[5]"))
            let kept = try decode([AlertmanagerAPI.GettableAlert].self, try await client.request("GET", "/api/v2/alerts"))
            #expect(Set(kept.map { $0.labels["alertname"] }) == ["Fine", "AlsoFine"])
        }
    }

    @Test func unparsableRequestsAreRefusedWithAReason() async throws {
        try await withAPI { client in
            let notJSON = try await client.request("POST", "/api/v2/alerts", body: "[{\"labels\": ")
            #expect(notJSON.status == 400)
            #expect(try decode(String.self, notJSON).hasPrefix("cannot parse alerts: invalid JSON"))
            let notArray = try await client.request("POST", "/api/v2/alerts", body: "{\"labels\": {\"a\": \"b\"}}")
            #expect(notArray.status == 400)
            #expect(try decode(String.self, notArray) == "cannot parse alerts: expected an array")
            let empty = try await client.request("POST", "/api/v2/silences", body: "")
            #expect(empty.status == 400)
            #expect(try decode(String.self, empty).hasPrefix("cannot parse silence: invalid JSON"))
            let badFilter = try await client.request("GET", "/api/v2/alerts?filter=" + query("alertname=~\"(\""))
            #expect(badFilter.status == 400)
            #expect(try decode(String.self, badFilter).hasPrefix("bad matcher format"))
            let badFlag = try await client.request("GET", "/api/v2/alerts/groups?silenced=maybe")
            #expect(badFlag.status == 400)
            #expect(try decode(String.self, badFlag) == "silenced must be true or false, not \"maybe\"")
            #expect(try await client.request("GET", "/api/v2/alerts").status == 200)
        }
    }

    @Test func silenceLifecycleMutesAndUnmutesAlerts() async throws {
        try await withAPI { client in
            #expect(try await client.request("POST", "/api/v2/alerts", body: Self.twoAlerts).status == 200)
            let silence = """
            {"matchers": [{"name": "alertname", "value": "Down", "isRegex": false, "isEqual": true}],
             "startsAt": "\(time(-60))", "endsAt": "\(time(3600))", "createdBy": "ops", "comment": "maintenance"}
            """
            let created = try await client.request("POST", "/api/v2/silences", body: silence)
            #expect(created.status == 200)
            let id = try #require(try decode([String: String].self, created)["silenceID"])
            #expect(!id.isEmpty)

            let listed = try decode([AlertmanagerAPI.GettableSilence].self, try await client.request("GET", "/api/v2/silences"))
            #expect(listed.map(\.id) == [id])
            #expect(listed.first?.status.state == "active")
            #expect(listed.first?.createdBy == "ops")
            let filteredOut = try decode([AlertmanagerAPI.GettableSilence].self,
                                         try await client.request("GET", "/api/v2/silences?filter=" + query("alertname=\"Disk\"")))
            #expect(filteredOut.isEmpty)
            let single = try decode(AlertmanagerAPI.GettableSilence.self, try await client.request("GET", "/api/v2/silence/\(id)"))
            #expect(single.matchers == [AlertmanagerAPI.Matcher(name: "alertname", value: "Down", isRegex: false, isEqual: true)])
            #expect(single.endsAt == time(3600))

            let muted = try decode([AlertmanagerAPI.GettableAlert].self, try await client.request("GET", "/api/v2/alerts?filter=alertname%3DDown"))
            #expect(muted.first?.status.state == "suppressed")
            #expect(muted.first?.status.silencedBy == [id])
            let unsilenced = try decode([AlertmanagerAPI.GettableAlert].self, try await client.request("GET", "/api/v2/alerts?silenced=false"))
            #expect(unsilenced.map { $0.labels["alertname"] } == ["Disk"])

            clock.advance(by: .seconds(10))
            #expect(try await client.request("DELETE", "/api/v2/silence/\(id)").status == 200)
            let expired = try decode(AlertmanagerAPI.GettableSilence.self, try await client.request("GET", "/api/v2/silence/\(id)"))
            #expect(expired.status.state == "expired")
            #expect(expired.endsAt == time(10))
            let unmuted = try decode([AlertmanagerAPI.GettableAlert].self, try await client.request("GET", "/api/v2/alerts?filter=alertname%3DDown"))
            #expect(unmuted.first?.status.state == "active")
            #expect(unmuted.first?.status.silencedBy == [])

            let again = try await client.request("DELETE", "/api/v2/silence/\(id)")
            #expect(again.status == 400)
            #expect(try decode(String.self, again) == "silence \(id) already expired")
            #expect(try await client.request("GET", "/api/v2/silence/no-such-id").status == 404)
            #expect(try await client.request("DELETE", "/api/v2/silence/no-such-id").status == 404)
        }
    }

    @Test func inhibitedAlertsCanBeLeftOut() async throws {
        try await withAPI { client in
            let outage = """
            [{"labels": {"alertname": "Outage", "severity": "critical"}}, {"labels": {"alertname": "Outage", "severity": "warning"}}]
            """
            #expect(try await client.request("POST", "/api/v2/alerts", body: outage).status == 200)
            let all = try decode([AlertmanagerAPI.GettableAlert].self, try await client.request("GET", "/api/v2/alerts"))
            let critical = try #require(all.first { $0.labels["severity"] == "critical" })
            let warning = try #require(all.first { $0.labels["severity"] == "warning" })
            #expect(critical.status.state == "active")
            #expect(warning.status.state == "suppressed")
            #expect(warning.status.inhibitedBy == [critical.fingerprint])
            let uninhibited = try decode([AlertmanagerAPI.GettableAlert].self, try await client.request("GET", "/api/v2/alerts?inhibited=false"))
            #expect(uninhibited.map(\.fingerprint) == [critical.fingerprint])
            let stillListed = try decode([AlertmanagerAPI.GettableAlert].self, try await client.request("GET", "/api/v2/alerts?silenced=false"))
            #expect(stillListed.count == 2)
        }
    }

    @Test func postingASilenceWithItsIDUpdatesIt() async throws {
        try await withAPI { client in
            func body(id: String?, endsIn seconds: Int64) -> String {
                """
                {\(id.map { "\"id\": \"\($0)\"," } ?? "") "matchers": [{"name": "job", "value": "api", "isRegex": false}],
                 "startsAt": "\(time(-60))", "endsAt": "\(time(seconds))", "createdBy": "ops", "comment": "deploy"}
                """
            }
            let created = try await client.request("POST", "/api/v2/silences", body: body(id: nil, endsIn: 600))
            let id = try #require(try decode([String: String].self, created)["silenceID"])
            let updated = try await client.request("POST", "/api/v2/silences", body: body(id: id, endsIn: 1200))
            #expect(updated.status == 200)
            #expect(try decode([String: String].self, updated)["silenceID"] == id)
            let listed = try decode([AlertmanagerAPI.GettableSilence].self, try await client.request("GET", "/api/v2/silences"))
            #expect(listed.map(\.id) == [id])
            #expect(listed.first?.endsAt == time(1200))
        }
    }

    @Test func invalidSilencesAreRefused() async throws {
        try await withAPI { client in
            let matchesEverything = """
            {"matchers": [{"name": "alertname", "value": ".*", "isRegex": true}],
             "startsAt": "\(time(0))", "endsAt": "\(time(60))", "createdBy": "ops", "comment": "all"}
            """
            let refused = try await client.request("POST", "/api/v2/silences", body: matchesEverything)
            #expect(refused.status == 400)
            #expect(try decode(String.self, refused) == "invalid silence: at least one matcher must not match the empty string")
            let missingEnd = """
            {"matchers": [{"name": "a", "value": "b", "isRegex": false}], "startsAt": "\(time(0))", "createdBy": "ops", "comment": "x"}
            """
            let incomplete = try await client.request("POST", "/api/v2/silences", body: missingEnd)
            #expect(incomplete.status == 400)
            #expect(try decode(String.self, incomplete) == "cannot parse silence: missing \"endsAt\"")
            let unknown = """
            {"id": "no-such-id", "matchers": [{"name": "a", "value": "b", "isRegex": false}],
             "startsAt": "\(time(0))", "endsAt": "\(time(60))", "createdBy": "ops", "comment": "x"}
            """
            #expect(try await client.request("POST", "/api/v2/silences", body: unknown).status == 404)
            #expect(try decode([AlertmanagerAPI.GettableSilence].self, try await client.request("GET", "/api/v2/silences")).isEmpty)
        }
    }

    @Test func statusAndReceivers() async throws {
        try await withAPI { client in
            let response = try await client.request("GET", "/api/v2/status")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            let status = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            let cluster = try #require(status["cluster"] as? [String: Any])
            #expect(cluster["status"] as? String == "disabled")
            #expect((cluster["peers"] as? [Any])?.isEmpty == true)
            let versionInfo = try #require(status["versionInfo"] as? [String: String])
            #expect(versionInfo["version"] == "9.8.7")
            #expect(Set(versionInfo.keys) == ["version", "revision", "branch", "buildUser", "buildDate", "goVersion"])
            let uptime = try #require(status["uptime"] as? String)
            #expect(RFC3339.parse(uptime) != nil)
            // The configuration as loaded, with the webhook URLs (which may carry tokens) redacted.
            let original = try #require((status["config"] as? [String: String])?["original"])
            #expect(original.contains("receiver: hook"))
            #expect(original.contains("<secret>"))
            #expect(!original.contains("127.0.0.1:9/page"))

            let receivers = try decode([AlertmanagerAPI.Receiver].self, try await client.request("GET", "/api/v2/receivers"))
            #expect(receivers.map(\.name) == ["hook", "pager"])
        }
    }

    @Test func apiIsAbsentWithoutAlerting() async throws {
        let dependencies = ServerDependencies(registry: MetricsRegistry(), reload: { nil }, isReady: { true })
        try await withRunningServer(dependencies) { client in
            let status = try await client.request("GET", "/api/v2/status")
            let alerts = try await client.request("POST", "/api/v2/alerts", body: "[]")
            #expect(status.status == 404)
            #expect(alerts.status == 404)
        }
    }
}

extension LoopbackHTTPClient {
    /// A request with a text body, as the JSON bodies of these tests are written.
    fileprivate func request(_ method: String, _ path: String, headers: [String: String] = [:], body: String) async throws -> Response {
        try await request(method, path, headers: headers, body: Array(body.utf8))
    }
}
