import Foundation
import OutpostTestSupport
import Testing

/// Runs `outpost` with examples/outpost.yml and checks that every dashboard query, with its
/// variables resolved the way Grafana resolves them (through /api/v1/label/.../values),
/// returns data from Outpost's own query API.
///
/// The example runs as shipped except for what a test needs: free ports, a temporary storage
/// path, a 1s self-scrape, probe and rule evaluation interval, and additions so TLS, DNS and
/// failure panels have something to show: an https target (`openssl s_server` with a
/// self-signed certificate), a dns module asking a local test responder, a target on a closed
/// port and a webhook receiver that cannot be reached. The shipped rules load from a copy in
/// which TargetDown waits 1s instead of 2m, so the closed port fires it while alerts with
/// longer `for` (AppHighErrorRatio on the StatsD traffic's 5xx, OutpostNotificationsFailing)
/// stay pending. Panels that cannot have data in this setup are listed in `allowlist` with the
/// reason; one of them returning data fails the test, so the list stays honest.
@Suite struct DashboardDataTests {
    static let allowlist: [String: String] = [:]

    @Test func everyPanelQueryReturnsDataFromTheExampleSetup() async throws {
        let directory = try RepositoryFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tlsServer = try TLSTestServer(expired: false)
        defer { tlsServer.stop() }
        let dnsServer = try await TestUDPServer(reply: TestDNSResponder.answer)
        defer { dnsServer.stop() }
        let config = try exampleConfiguration(in: directory, tlsPort: tlsServer.port, dnsPort: dnsServer.port)
        let daemon = try OutpostDaemon(arguments: ["--config.file", config.path])
        defer { daemon.process.terminate() }
        let api = PrometheusAPIClient(port: try await daemon.waitForPort())
        let statsdPort = try await daemon.waitForLogValue("udp=")

        let alert = #"[{"labels":{"alertname":"DashboardTest","instance":"a:1","severity":"warning"}}]"#
        let posted = try await api.http.request("POST", "/api/v2/alerts", headers: ["Content-Type": "application/json"], body: Array(alert.utf8))
        #expect(posted.status == 200, "\(posted.text)")
        // Application traffic as examples/statsd-mapping.yml maps it, over several self-scrapes
        // so rate() has samples to work with.
        for _ in 0..<12 {
            try StatsDSender.send("""
            shop.http.GET.200.requests:3|c
            shop.http.GET.500.requests:1|c
            shop.http.GET.200.latency:12|ms
            shop.http.GET.200.latency:180|ms
            shop.http.GET.500.latency:950|ms
            shop.debug.cache:1|c
            """, port: statsdPort)
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(try await waitForAlerts(api: api), "no firing TargetDown and pending alert within 30s")

        var checked = 0
        for url in try RepositoryFiles.files(in: "grafana/dashboards", suffix: ".json") {
            let dashboard = try GrafanaDashboard.load(url)
            let candidates = try await dashboard.variableValueSets(from: api, datasource: "outpost")
            for (panel, expr) in dashboard.queries {
                let key = "\(url.lastPathComponent)/\(panel.title)"
                var answered = false
                for values in candidates where !answered {
                    let query = try GrafanaTemplate.substitute(expr, values: values)
                    answered = try await api.query(query).hasData
                }
                checked += 1
                if Self.allowlist[key] == nil {
                    #expect(answered, "\(key): no data for \(expr)")
                } else {
                    #expect(!answered, "\(key) returns data now: remove it from the allowlist")
                }
            }
        }
        #expect(checked > 70)
        // The shipped rules evaluate cleanly against Outpost's own series.
        #expect(try await !api.query("outpost_rule_evaluation_failures_total > 0").hasData, "a shipped rule fails to evaluate")
    }

    /// examples/outpost.yml with the test's changes (see `ExampleConfiguration`): a closed port
    /// as the first target, and a webhook receiver nobody listens on.
    private func exampleConfiguration(in directory: URL, tlsPort: Int, dnsPort: Int) throws -> URL {
        let port = try freePort()
        let closedPort = try freePort()
        let text = try ExampleConfiguration(
            port: port, storagePath: directory.path + "/data", rulesGlob: "rules/*.yml",
            firstTarget: ("closed-port", ["address: 127.0.0.1:\(closedPort)", "module: tcp_connect"]),
            tlsPort: tlsPort, dnsPort: dnsPort, webhookURL: "http://127.0.0.1:\(closedPort)/hook"
        ).text()
        let file = directory.appendingPathComponent("outpost.yml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: RepositoryFiles.url("examples/statsd-mapping.yml"),
                                         to: directory.appendingPathComponent("statsd-mapping.yml"))
        try copyRules(to: directory.appendingPathComponent("rules"))
        return file
    }

    /// The shipped rule files, with TargetDown's confirmation period cut to 1s.
    private func copyRules(to rules: URL) throws {
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        for url in try RepositoryFiles.files(in: "rules", suffix: ".yml") {
            var text = try String(contentsOf: url, encoding: .utf8)
            if url.lastPathComponent == "uptime.yml" {
                let targetDown = "expr: probe_success == 0\n        for: 2m"
                try #require(text.contains(targetDown), "rules/uptime.yml no longer contains \(targetDown)")
                text = text.replacingOccurrences(of: targetDown, with: "expr: probe_success == 0\n        for: 1s")
            }
            try text.write(to: rules.appendingPathComponent(url.lastPathComponent), atomically: true, encoding: .utf8)
        }
    }

    /// Polls until the closed port's TargetDown fires and some alert is pending, for at most 30s.
    private func waitForAlerts(api: PrometheusAPIClient) async throws -> Bool {
        for _ in 0..<60 {
            if try await api.query(#"ALERTS{alertname="TargetDown", alertstate="firing"}"#).hasData,
               try await api.query(#"ALERTS{alertstate="pending"}"#).hasData {
                return true
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        return false
    }
}
