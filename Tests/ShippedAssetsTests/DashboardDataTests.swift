import Foundation
import OutpostTestSupport
import Testing

/// Runs `outpost` with examples/outpost.yml and checks that every dashboard query, with its
/// variables resolved the way Grafana resolves them (through /api/v1/label/.../values),
/// returns data from Outpost's own query API.
///
/// The example runs as shipped except for what a test needs: free ports, a temporary storage
/// path, a 1s self-scrape and probe interval, and additions so TLS, DNS and failure panels
/// have something to show: an https target (`openssl s_server` with a self-signed
/// certificate), a dns module asking a local test responder, a target on a closed port and a
/// webhook receiver that cannot be reached. Panels that cannot have data in this setup are listed in `allowlist` with the
/// reason; one of them returning data fails the test, so the list stays honest.
@Suite struct DashboardDataTests {
    static let allowlist: [String: String] = [
        "outpost-alerts.json/Firing": Reason.alerts,
        "outpost-alerts.json/Pending": Reason.alerts,
        "outpost-alerts.json/Firing alerts by name": Reason.alerts,
        "outpost-alerts.json/Firing and pending alerts": Reason.alerts,
        "outpost-alerts.json/Alert history": Reason.alerts,
        "outpost-internals.json/Rule group evaluation time": Reason.ruleEngine,
        "outpost-internals.json/Rule group interval vs. duration": Reason.ruleEngine,
        "outpost-internals.json/Rule evaluation failures and missed iterations": Reason.ruleEngine,
    ]

    enum Reason {
        static let alerts = "ALERTS comes from a rule evaluator: Prometheus, or Outpost's rule engine, not in this build yet"
        static let ruleEngine = "outpost_rule_group_* and outpost_rule_evaluation_failures_total come with the rule engine"
    }

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
    }

    /// examples/outpost.yml with the test's changes; each change must still apply, so an
    /// edit of the example that breaks this test's assumptions fails loudly.
    private func exampleConfiguration(in directory: URL, tlsPort: Int, dnsPort: Int) throws -> URL {
        let port = try freePort()
        let closedPort = try freePort()
        var text = try RepositoryFiles.text("examples/outpost.yml")
        func replace(_ old: String, _ new: String) throws {
            try #require(text.contains(old), "examples/outpost.yml no longer contains \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try replace("127.0.0.1:9393", "127.0.0.1:\(port)")
        try replace("scrape_interval: 15s", "scrape_interval: 1s")
        try replace("    interval: 15s", "    interval: 1s")
        try replace("path: ./data", "path: \(directory.path)/data")
        try replace("listen_udp: 127.0.0.1:8125", "listen_udp: 127.0.0.1:0")
        try replace("listen_tcp: 127.0.0.1:8125", "listen_tcp: \"\"")
        try replace("targets:\n", """
        targets:
          - name: closed-port
            address: 127.0.0.1:\(closedPort)
            module: tcp_connect
            interval: 1s
          - name: tls
            url: https://127.0.0.1:\(tlsPort)/
            module: https_self_signed
            interval: 1s
          - name: dns
            address: 127.0.0.1:\(dnsPort)
            module: dns_example_test
            interval: 1s

        """)
        try replace("modules:\n", """
        modules:
          https_self_signed:
            prober: http
            timeout: 5s
            http:
              tls_config:
                insecure_skip_verify: true
          dns_example_test:
            prober: dns
            timeout: 2s
            dns:
              query_name: example.test
              preferred_ip_protocol: ip4

        """)
        try replace("group_wait: 30s", "group_wait: 1s")
        try replace("    - name: default\n", """
            - name: default
              webhook_configs:
                - url: http://127.0.0.1:\(closedPort)/hook

        """)
        let file = directory.appendingPathComponent("outpost.yml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: RepositoryFiles.url("examples/statsd-mapping.yml"),
                                         to: directory.appendingPathComponent("statsd-mapping.yml"))
        return file
    }
}
