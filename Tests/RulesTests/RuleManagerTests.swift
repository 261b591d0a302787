import Foundation
import Logging
import OutpostCore
import OutpostMetrics
import PromQL
import Rules
import Synchronization
import Testing
import TSDB

/// The runtime around the evaluator: persistence across restarts, notifications, the slot loop.
struct RuleManagerTests {
    static let rules = """
        groups:
          - name: availability
            interval: 10s
            rules:
              - alert: Down
                expr: up == 0
                for: 30s
                labels:
                  severity: page
        """

    final class Received: Sendable {
        let alerts = Mutex<[OutgoingAlert]>([])
        var all: [OutgoingAlert] { alerts.withLock { $0 } }
        var sink: RuleManager.AlertSink { { [self] batch in alerts.withLock { $0 += batch } } }
    }

    /// `up{instance="a"}` is 0 from 0s to 300s, every 5s.
    func headWithTargetDown() throws -> Head {
        let head = Head()
        for t in stride(from: Int64(0), through: 300_000, by: 5_000) {
            _ = try head.append(Labels(["__name__": "up", "instance": "a"]), t, 0)
        }
        return head
    }

    func groups() throws -> [RuleGroup] {
        try RuleFileLoader.parse(yaml: Self.rules, file: "rules.yml", defaultInterval: 60_000).get()
    }

    func manager(head: Head, storePath: String, clock: ManualClock, received: Received) throws -> RuleManager {
        let manager = try RuleManager(head: head, engine: Engine(queryable: head), registry: MetricsRegistry(), clock: clock,
                                      store: RuleStateStore(path: storePath), sink: received.sink, logger: Logger(label: "test"))
        manager.update(groups: try groups(), options: RuleManager.Options())
        return manager
    }

    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).db").path
    }

    @Test func aFiringAlertIsNotNotifiedAgainAfterARestart() async throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let head = try headWithTargetDown()
        let received = Received()
        let clock = ManualClock(now: 0)
        let first = try manager(head: head, storePath: path, clock: clock, received: received)
        for t in stride(from: Int64(0), through: 30_000, by: 10_000) {
            clock.advance(to: t)
            await first.evaluate(groupKey: "rules.yml;availability", at: t)
        }
        #expect(received.all.count == 1)
        #expect(received.all.first?.labels == Labels(["alertname": "Down", "instance": "a", "severity": "page"]))
        #expect(received.all.first?.startsAt == 30_000)

        clock.advance(to: 45_000)
        let second = try manager(head: head, storePath: path, clock: clock, received: received)
        await second.evaluate(groupKey: "rules.yml;availability", at: 50_000)
        let alert = try #require(second.groupStatuses().first?.rules.first?.alerts.first)
        #expect(alert.state == .firing)
        #expect(alert.activeAt == 0)
        #expect(received.all.count == 1, "a restart must not notify a firing alert again before the resend delay")
        await second.evaluate(groupKey: "rules.yml;availability", at: 90_000)
        #expect(received.all.count == 1, "as in Prometheus, a resend is due only once more than the delay has passed")
        await second.evaluate(groupKey: "rules.yml;availability", at: 100_000)
        #expect(received.all.count == 2, "the resend delay (1m) still applies after a restart")
    }

    @Test func aPendingAlertKeepsItsProgressAcrossARestart() async throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let head = try headWithTargetDown()
        let received = Received()
        let clock = ManualClock(now: 0)
        let first = try manager(head: head, storePath: path, clock: clock, received: received)
        for t in [Int64(0), 10_000, 20_000] {
            clock.advance(to: t)
            await first.evaluate(groupKey: "rules.yml;availability", at: t)
        }
        // Down from 20s to 25s: 20s of the 30s `for` are done, 10s remain after the start.
        clock.advance(to: 25_000)
        let second = try manager(head: head, storePath: path, clock: clock, received: received)
        await second.evaluate(groupKey: "rules.yml;availability", at: 30_000)
        #expect(second.groupStatuses().first?.rules.first?.alerts.first?.state == .pending)
        await second.evaluate(groupKey: "rules.yml;availability", at: 40_000)
        #expect(second.groupStatuses().first?.rules.first?.alerts.first?.state == .firing)
        #expect(received.all.count == 1)
    }

    @Test func theLoopEvaluatesOnTheGroupsSlots() async throws {
        let head = try headWithTargetDown()
        let received = Received()
        let clock = ManualClock(now: 100_000)
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let manager = try manager(head: head, storePath: path, clock: clock, received: received)
        let schedule = RuleGroupSchedule(file: "rules.yml", name: "availability", interval: 10_000)
        let running = Task { await manager.run() }
        defer { running.cancel() }
        while clock.sleeperCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let slot = schedule.slot(after: 100_000)
        clock.advance(to: slot)
        var waited = 0
        while manager.groupStatuses().first?.lastEvaluation != slot && waited < 2000 {
            try await Task.sleep(for: .milliseconds(5))
            waited += 1
        }
        #expect(manager.groupStatuses().first?.lastEvaluation == slot)
    }

    @Test func aReloadKeepsTheStateOfGroupsThatStay() async throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let head = try headWithTargetDown()
        let received = Received()
        let clock = ManualClock(now: 0)
        let manager = try manager(head: head, storePath: path, clock: clock, received: received)
        await manager.evaluate(groupKey: "rules.yml;availability", at: 0)
        manager.update(groups: try groups(), options: RuleManager.Options())
        #expect(manager.groupStatuses().first?.rules.first?.alerts.first?.activeAt == 0)
        manager.update(groups: [], options: RuleManager.Options())
        #expect(manager.groupStatuses().isEmpty)
        #expect(try RuleStateStore(path: path).loadAll().groups.isEmpty, "a removed group's saved state is forgotten")
    }
}
