import OutpostCore
import OutpostMetrics
import Testing
import OutpostTestSupport
@testable import Probing

@Suite struct ProbeLogsPageTests {
    /// One target that connects and one whose port is closed, each probed every 100ms.
    func scheduler(openPort: Int, closedPort: Int) throws -> ProbeScheduler {
        let yaml = """
            modules:
              tcp_connect:
                prober: tcp
                timeout: 1s
            targets:
              - {name: up, address: "127.0.0.1:\(openPort)", module: tcp_connect, interval: 100ms}
              - {name: down, address: "127.0.0.1:\(closedPort)", module: tcp_connect, interval: 100ms}
            """
        let config = try ProbingConfig(try ConfigDecoder(file: "t.yml").decode(OutpostConfig.self, from: yaml), file: "t.yml")
        return try ProbeScheduler(runner: ProbeRunner(), registry: MetricsRegistry(), config: config, historySize: 3)
    }

    @Test func showsEachTargetsRecentResultsWithLogsAndMetrics() async throws {
        let server = try await TestTCPServer { _, _ in }
        defer { server.stop() }
        let closed = try await TestTCPServer { _, _ in }
        let closedPort = closed.port
        closed.stop()
        let scheduler = try scheduler(openPort: server.port, closedPort: closedPort)
        let page = ProbeLogsPage(scheduler: scheduler)
        let running = Task { await scheduler.run() }
        defer { running.cancel() }
        for _ in 0..<100 where !scheduler.statuses().allSatisfy({ $0.history.count == 3 }) {
            try await Task.sleep(for: .milliseconds(50))
        }

        let index = page.handle(query: [:])
        #expect(index.status == 200)
        let lines = index.body.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("up\t") && $0.contains("success in") })
        #expect(lines.contains { $0.hasPrefix("down\t") && $0.contains("failure (connect)") })

        let down = page.handle(query: ["target": "down"])
        #expect(down.status == 200)
        #expect(down.body.components(separatedBy: "\n=== ").count == 4)
        #expect(down.body.contains("probe failed (connect)"))
        #expect(down.body.contains("probe_success 0"))
        #expect(down.body.contains("probe_failure_info{reason=\"connect\"} 1"))

        let byAddress = page.handle(query: ["target": "127.0.0.1:\(server.port)", "module": "tcp_connect"])
        #expect(byAddress.status == 200)
        #expect(byAddress.body.hasPrefix("Target up "))
        #expect(byAddress.body.contains("probe_success 1"))
    }

    @Test func unknownTargetOrModuleIsNotFound() async throws {
        let page = ProbeLogsPage(scheduler: try scheduler(openPort: 1, closedPort: 2))
        #expect(page.handle(query: ["target": "nope"]).status == 404)
        #expect(page.handle(query: ["target": "up", "module": "http_2xx"]).status == 404)
        #expect(page.handle(query: ["target": "up"]).body.contains("0 recent results"))
    }
}
