import NIOCore
import OutpostCore
import OutpostMetrics
import Testing
import OutpostTestSupport
@testable import Probing

@Suite struct ProbeSchedulerTests {
    func config(ports: [Int], interval: String = "200ms") throws -> ProbingConfig {
        var yaml = "modules:\n  tcp_connect:\n    prober: tcp\n    timeout: 1s\ntargets:\(ports.isEmpty ? " []" : "")\n"
        for (index, port) in ports.enumerated() {
            yaml += "  - name: t\(index)\n    address: 127.0.0.1:\(port)\n    module: tcp_connect\n    interval: \(interval)\n    labels: {team: ops}\n"
        }
        let outpost = try ConfigDecoder(file: "t.yml").decode(OutpostConfig.self, from: yaml)
        return try ProbingConfig(outpost, file: "t.yml")
    }

    func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<100 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
    }

    @Test func runsTargetsExposesResultsAndDropsRemovedOnes() async throws {
        let server = try await TestTCPServer { _, _ in }
        defer { server.stop() }
        let registry = MetricsRegistry()
        let scheduler = try ProbeScheduler(runner: ProbeRunner(), registry: registry,
                                           config: try config(ports: [server.port, server.port], interval: "300ms"))
        let running = Task { await scheduler.run() }
        defer { running.cancel() }

        try await waitFor { scheduler.statuses().count == 2 && scheduler.statuses().allSatisfy { $0.history.count >= 3 } }
        let statuses = scheduler.statuses()
        #expect(statuses.map(\.target.name) == ["t0", "t1"])
        #expect(statuses.allSatisfy { $0.history.count >= 3 && $0.history.count <= 10 })
        #expect(statuses.allSatisfy { $0.history.contains(where: \.result.success) })

        let success = try #require(registry.snapshot().first { $0.name == "probe_success" })
        #expect(success.series.count == 2)
        let labels = try #require(success.series.first?.labels)
        #expect(labels["instance"] == "127.0.0.1:\(server.port)")
        #expect(labels["module"] == "tcp_connect")
        #expect(labels["team"] == "ops")
        #expect(labels["target"] != nil)
        let total = try #require(registry.snapshot().first { $0.name == "outpost_probes_total" })
        #expect(total.series.contains { $0.labels["result"] == "success" && $0.value != .scalar(0) })
        #expect(registry.snapshot().contains { $0.name == "outpost_probe_scheduler_lag_seconds" })
        #expect(registry.snapshot().contains { $0.name == "outpost_probe_duration_seconds" })

        scheduler.update(try config(ports: [server.port], interval: "300ms"))
        let series = registry.snapshot().first { $0.name == "probe_success" }?.series ?? []
        #expect(series.map { $0.labels["target"] } == ["t0"])
        #expect(scheduler.status(of: "t1") == nil)
    }

    @Test func keepsOnlyTheLastResults() async throws {
        let server = try await TestTCPServer { _, _ in }
        defer { server.stop() }
        let registry = MetricsRegistry()
        let scheduler = try ProbeScheduler(runner: ProbeRunner(), registry: registry,
                                           config: try config(ports: [server.port], interval: "50ms"), historySize: 3)
        let running = Task { await scheduler.run() }
        defer { running.cancel() }
        func probesRun() -> Double {
            let family = registry.snapshot().first { $0.name == "outpost_probes_total" }
            return family?.series.reduce(0) { total, series in
                if case .scalar(let value) = series.value { return total + value }
                return total
            } ?? 0
        }
        try await waitFor { probesRun() >= 6 }
        #expect(probesRun() >= 6)
        #expect(scheduler.status(of: "t0")?.history.count == 3)
    }

    @Test func startsTargetsAddedWhileRunning() async throws {
        let server = try await TestTCPServer { _, _ in }
        defer { server.stop() }
        let registry = MetricsRegistry()
        let scheduler = try ProbeScheduler(runner: ProbeRunner(), registry: registry, config: try config(ports: []))
        let running = Task { await scheduler.run() }
        defer { running.cancel() }
        // Give the loop time to park with nothing queued, then add a target: it must wake.
        try await Task.sleep(for: .milliseconds(100))
        scheduler.update(try config(ports: [server.port], interval: "200ms"))
        try await waitFor { (scheduler.status(of: "t0")?.history.count ?? 0) >= 2 }
        #expect((scheduler.status(of: "t0")?.history.count ?? 0) >= 2)
    }

    @Test func limiterCapsConcurrency() async throws {
        let limiter = ConcurrencyLimiter(limit: 2)
        let peak = Peak()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try? await limiter.acquire()
                    peak.enter()
                    try? await Task.sleep(for: .milliseconds(20))
                    peak.leave()
                    limiter.release()
                }
            }
        }
        #expect(peak.maximum == 2)
    }
}

final class Peak: Sendable {
    private let state = Mutex((current: 0, maximum: 0))
    func enter() { state.withLock { $0.current += 1; $0.maximum = max($0.maximum, $0.current) } }
    func leave() { state.withLock { $0.current -= 1 } }
    var maximum: Int { state.withLock { $0.maximum } }
}

import Synchronization
