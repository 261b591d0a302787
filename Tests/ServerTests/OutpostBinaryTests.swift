import Foundation
import OutpostTestSupport
import Testing

/// End-to-end tests of the `outpost` executable that `swift build` puts beside the test bundle.
@Suite struct OutpostBinaryTests {
    static var binary: URL { OutpostDaemon.binary }

    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs the binary to completion.
    static func run(_ arguments: [String]) throws -> ProcessRunner.Outcome {
        try ProcessRunner.run(binary, arguments)
    }

    @Test func checkConfigAcceptsTheShippedExample() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let result = try Self.run(["check", "config", packageRoot.appendingPathComponent("examples/outpost.yml").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("SUCCESS"))
    }

    @Test func checkConfigNamesTheProblemAndFails() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("outpost.yml")
        try "global:\n  scrape_interval: 3x\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try Self.run(["check", "config", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file.path):2:20: global.scrape_interval: \"3x\" is not a duration"))
    }

    @Test func refusesToStartWithABadConfig() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("outpost.yml")
        try "web:\n  listen: 1\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try Self.run(["--config.file", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("web.listen: unknown key \"listen\""))
    }

    @Test func servesReloadsAndShutsDownCleanly() async throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("outpost.yml")
        let good = """
        global:
          scrape_interval: 1s
        web:
          listen_address: 127.0.0.1:0
        storage:
          path: \(directory.path)/data
        statsd:
          listen_udp: 127.0.0.1:0
          listen_tcp: ""
        modules:
          http_2xx:
            prober: http
            timeout: 5s
        probe_endpoint:
          allowed_targets: ['http://127\\.0\\.0\\.1:[0-9]+/-/healthy']
        targets:
          - {name: closed-port, url: "http://127.0.0.1:1/", module: http_2xx, interval: 1s}
        alerting:
          route:
            receiver: default
          receivers:
            - name: default

        """
        try good.write(to: file, atomically: true, encoding: .utf8)

        let daemon = try OutpostDaemon(arguments: ["--config.file", file.path])
        defer { daemon.process.terminate() }
        let port = try await daemon.waitForPort()
        let client = LoopbackHTTPClient(port: port)

        // Outpost's own metrics, StatsD's included, pass Prometheus's linter. (StatsD clients
        // name their own series: a counter without `_total` is theirs to fix, as with statsd_exporter.)
        let ownMetrics = try await client.request("GET", "/metrics")
        if Promtool.isRequired {
            let lint = try Promtool.run(["check", "metrics"], input: ownMetrics.body)
            #expect(lint.status == 0, "\(lint.output)")
        }

        let probe = try await client.request("GET", "/probe?target=http://127.0.0.1:\(port)/-/healthy&module=http_2xx")
        #expect(probe.status == 200)
        #expect(probe.text.contains("probe_success 1\n"))
        #expect(probe.text.contains("probe_http_status_code 200\n"))
        let refused = try await client.request("GET", "/probe?target=http://192.0.2.1/&module=http_2xx")
        #expect(refused.status == 403)
        let unknownModule = try await client.request("GET", "/probe?target=http://127.0.0.1:\(port)/-/healthy&module=nope")
        #expect(unknownModule.status == 400)

        let statsdPort = try await daemon.waitForLogValue("udp=")
        try StatsDSender.send("checkout.orders:3|c|#region:eu\nbroken line\ncheckout.orders:2|c|#region:eu\n", port: statsdPort)
        var metrics = try await client.request("GET", "/metrics")
        for _ in 0..<50 where !metrics.text.contains("checkout_orders{region=\"eu\"} 5\n") {
            try await Task.sleep(for: .milliseconds(100))
            metrics = try await client.request("GET", "/metrics")
        }
        #expect(metrics.text.contains("checkout_orders{region=\"eu\"} 5\n"))
        #expect(metrics.text.contains("outpost_statsd_sample_errors_total{reason=\"malformed_line\"} 1\n"))
        #expect(metrics.text.contains("outpost_config_last_reload_successful 1\n"))
        #expect(metrics.text.contains("outpost_build_info{revision="))
        #expect(metrics.text.contains("process_resident_memory_bytes "))
        #expect(metrics.text.contains("outpost_outbox_pending 0\n"))

        // Outpost records its own metrics into its store; the Prometheus query API reads them back.
        var recorded = ""
        for _ in 0..<50 where !recorded.contains("outpost_build_info") {
            try await Task.sleep(for: .milliseconds(200))
            recorded = try await client.request("GET", "/api/v1/query?query=outpost_build_info").text
        }
        #expect(recorded.contains("\"job\":\"outpost\""))
        #expect(recorded.contains("\"instance\":\"127.0.0.1:\(port)\""), "the instance label names the port Outpost listens on")
        #expect(!recorded.contains("\"instance\":\"127.0.0.1:0\""), "nothing is recorded before the port is known")
        #expect(recorded.contains("\"status\":\"success\""))
        // Outpost takes alerts as an Alertmanager does.
        let alert = #"[{"labels":{"alertname":"TargetDown","instance":"a:1"},"annotations":{"summary":"down"}}]"#
        let posted = try await client.request("POST", "/api/v2/alerts", headers: ["Content-Type": "application/json"], body: Array(alert.utf8))
        #expect(posted.status == 200, "\(posted.text)")
        let listed = try await client.request("GET", "/api/v2/alerts")
        #expect(listed.text.contains("\"alertname\":\"TargetDown\""))

        // A scheduled target's recent results, as blackbox_exporter's /logs shows them.
        var logs = try await client.request("GET", "/logs?target=closed-port")
        for _ in 0..<30 where !logs.text.contains("probe_failure_info{reason=\"connect\"} 1") {
            try await Task.sleep(for: .milliseconds(200))
            logs = try await client.request("GET", "/logs?target=closed-port")
        }
        #expect(logs.status == 200)
        #expect(logs.text.contains("probe_failure_info{reason=\"connect\"} 1"), "\(logs.text)")

        let badQuery = try await client.request("GET", "/api/v1/query?query=sum(")
        #expect(badQuery.status == 400)
        #expect(badQuery.text.contains("\"errorType\":\"bad_data\""))

        try "web:\n  listen_address: 127.0.0.1:0\n  bogus: true\n".write(to: file, atomically: true, encoding: .utf8)
        let failed = try await client.request("POST", "/-/reload")
        #expect(failed.status == 500)
        #expect(failed.text.contains("web.bogus: unknown key"))
        let afterFailure = try await client.request("GET", "/metrics")
        #expect(afterFailure.text.contains("outpost_config_last_reload_successful 0\n"))

        try good.write(to: file, atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        var recovered = false
        for _ in 0..<50 where !recovered {
            try await Task.sleep(for: .milliseconds(100))
            recovered = try await client.request("GET", "/metrics").text.contains("outpost_config_last_reload_successful 1\n")
        }
        #expect(recovered)

        daemon.process.terminate()
        daemon.process.waitUntilExit()
        #expect(daemon.process.terminationStatus == 0)
        #expect(daemon.output.contains("See you next time!"))
    }

    /// Rules run from `rule_files`, their alerts reach routing, a broken rule file on reload
    /// keeps the running rules, and a firing alert survives a restart without a second notification.
    @Test func runsRulesKeepsThemOnABadReloadAndRestoresAlerts() async throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("outpost.yml")
        let rules = directory.appendingPathComponent("rules.yml")
        try """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        web:
          listen_address: 127.0.0.1:0
        storage:
          path: \(directory.path)/data
        rule_files: [rules.yml]
        alerting:
          route:
            receiver: default
            group_wait: 0s
          receivers:
            - name: default

        """.write(to: file, atomically: true, encoding: .utf8)
        let goodRules = """
        groups:
          - name: self
            rules:
              - record: outpost:build:count
                expr: count(outpost_build_info)
              - alert: AlwaysFiring
                expr: outpost:build:count > 0
                labels: {severity: info}
                annotations: {summary: "{{ $value }} build(s) running"}

        """
        try goodRules.write(to: rules, atomically: true, encoding: .utf8)

        var daemon = try OutpostDaemon(arguments: ["--config.file", file.path])
        defer { daemon.process.terminate() }
        var client = LoopbackHTTPClient(port: try await daemon.waitForPort())
        var firing = ""
        for _ in 0..<100 where !firing.contains("\"state\":\"firing\"") {
            try await Task.sleep(for: .milliseconds(100))
            firing = try await client.request("GET", "/api/v1/alerts").text
        }
        #expect(firing.contains("\"alertname\":\"AlwaysFiring\""))
        #expect(firing.contains("\"summary\":\"1 build(s) running\""))
        var routed = ""
        for _ in 0..<50 where !routed.contains("AlwaysFiring") {
            try await Task.sleep(for: .milliseconds(100))
            routed = try await client.request("GET", "/api/v2/alerts").text
        }
        #expect(routed.contains("\"alertname\":\"AlwaysFiring\""))
        let activeAt = try #require(firing.firstMatch(of: /"activeAt":"([^"]+)"/)?.1)

        try "groups:\n  - name: self\n    rules:\n      - record: 1bad\n        expr: up\n".write(to: rules, atomically: true, encoding: .utf8)
        let failed = try await client.request("POST", "/-/reload")
        #expect(failed.status == 500)
        #expect(failed.text.contains("rules.yml:4:"), "\(failed.text)")
        #expect(try await client.request("GET", "/metrics").text.contains("outpost_config_last_reload_successful 0\n"))
        let kept = try await client.request("GET", "/api/v1/rules").text
        #expect(kept.contains("\"name\":\"AlwaysFiring\""), "a broken rule file must leave the running rules in place")

        try goodRules.write(to: rules, atomically: true, encoding: .utf8)
        daemon.process.terminate()
        daemon.process.waitUntilExit()
        daemon = try OutpostDaemon(arguments: ["--config.file", file.path])
        client = LoopbackHTTPClient(port: try await daemon.waitForPort())
        var restored = ""
        for _ in 0..<100 where !restored.contains("\"state\":\"firing\"") {
            try await Task.sleep(for: .milliseconds(100))
            restored = try await client.request("GET", "/api/v1/alerts").text
        }
        #expect(restored.contains("\"activeAt\":\"\(activeAt)\""), "the alert keeps its start across the restart: \(restored)")
        let sent = try await client.request("GET", "/metrics").text
        #expect(sent.contains("outpost_rule_alerts_sent_total 0\n"), "no second notification within the resend delay")
    }

    /// Samples recorded before a SIGKILL, with no snapshot written yet, come back from the WAL.
    @Test func killedDaemonKeepsRecentSamplesThroughTheWAL() async throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("outpost.yml")
        try """
        global:
          scrape_interval: 1s
        web:
          listen_address: 127.0.0.1:0
        storage:
          path: \(directory.path)/data

        """.write(to: file, atomically: true, encoding: .utf8)
        let query = "/api/v1/query?query=count_over_time(outpost_build_info%5B1h%5D)"
        func recorded(_ client: LoopbackHTTPClient) async throws -> Int {
            let text = try await client.request("GET", query).text
            guard let match = text.firstMatch(of: /"value":\[[0-9.]+,"([0-9]+)"\]/) else { return 0 }
            return Int(match.1) ?? 0
        }

        var daemon = try OutpostDaemon(arguments: ["--config.file", file.path])
        defer { daemon.process.terminate() }
        var client = LoopbackHTTPClient(port: try await daemon.waitForPort())
        var before = 0
        for _ in 0..<100 where before < 3 {
            try await Task.sleep(for: .milliseconds(100))
            before = try await recorded(client)
        }
        #expect(before >= 3)
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.process.waitUntilExit()
        #expect(daemon.process.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/data/head.snapshot"), "the first snapshot is a minute away")

        daemon = try OutpostDaemon(arguments: ["--config.file", file.path])
        client = LoopbackHTTPClient(port: try await daemon.waitForPort())
        #expect(try await recorded(client) >= before)
        #expect(daemon.output.contains("Replayed the WAL"), "\(daemon.output)")
        #expect(try await client.request("GET", "/metrics").text.contains("outpost_tsdb_wal_corruptions_total 0\n"))
    }
}
