import Foundation
import Logging
import OutpostCore
import OutpostMetrics
import ServiceLifecycle

/// Alertmanager-compatible routing: receives alerts, groups them along the route tree,
/// applies inhibition, silences and time intervals, and delivers notifications through a
/// persistent outbox.
///
/// Construct it once, call `run()` under a ServiceGroup, feed it with `receive(_:)`, and call
/// `reload(_:)` when the configuration changes. All timing comes from `clock`.
public actor AlertingService: Service {
    var config: AlertingConfig
    let clock: any WallClock
    let logger: Logger
    let metrics: AlertingMetrics
    let store: AlertingStore
    let poster: HTTPPoster
    let wakeup = Wakeup()
    /// What this Outpost sends as `User-Agent`, e.g. `Outpost/1.2.0`; the API's status reports it.
    public nonisolated let userAgent: String

    var alerts: [Fingerprint: Alert] = [:]
    var dispatcher: Dispatcher
    var inhibitor: Inhibitor
    var notificationLog: NotificationLog
    var silenceStore: SilenceStore
    /// Alerts that went through at least one flush; others are reported as unprocessed.
    var processed: Set<Fingerprint> = []
    var outbox: [Int64: OutboxMessage] = [:]
    var deliveries: [Int64: Task<Void, Never>] = [:]
    var nextMaintenance: UnixMillis = 0

    static let maintenanceInterval: Int64 = 15_000

    /// Opens (or creates) `alerting.sqlite` in `storagePath` and restores the outbox, the
    /// notification log and the silences from it. `userAgent` is sent with every request,
    /// e.g. `Outpost/1.2.0`.
    public init(config: AlertingConfig, storagePath: String, registry: MetricsRegistry, clock: any WallClock = SystemClock(),
                logger: Logger, userAgent: String) throws {
        try FileManager.default.createDirectory(atPath: storagePath, withIntermediateDirectories: true)
        let store = try AlertingStore(path: storagePath + "/alerting.sqlite")
        self.config = config
        self.clock = clock
        self.logger = logger
        self.store = store
        metrics = try AlertingMetrics(registry: registry)
        self.userAgent = userAgent
        poster = HTTPPoster(userAgent: userAgent)
        dispatcher = Dispatcher(route: config.route)
        inhibitor = Inhibitor(rules: config.inhibitRules)
        notificationLog = NotificationLog(try store.loadLog())
        silenceStore = SilenceStore(try store.loadSilences())
        // Whatever was pending or in flight when the process stopped is tried again at once.
        let now = clock.now()
        for var message in try store.pendingMessages() {
            message.nextAttemptAt = min(message.nextAttemptAt, now)
            outbox[message.id] = message
        }
        metrics.outboxPending.set(Double(outbox.count))
    }

    /// Takes alerts as `POST /api/v2/alerts` does. Valid alerts are stored even when others in
    /// the batch are not; the result lists each refused alert's position and reason.
    @discardableResult
    public func receive(_ posted: [PostableAlert]) -> [(index: Int, error: AlertValidationError)] {
        let now = clock.now()
        var errors: [(index: Int, error: AlertValidationError)] = []
        var accepted: [Alert] = []
        for (index, postable) in posted.enumerated() {
            do {
                var alert = try postable.validated(now: now, resolveTimeout: config.resolveTimeout)
                if let existing = alerts[alert.fingerprint], existing.overlaps(alert) {
                    alert = existing.merged(with: alert, now: now)
                }
                alerts[alert.fingerprint] = alert
                inhibitor.observe(alert)
                dispatcher.insert(alert, now: now)
                accepted.append(alert)
            } catch {
                errors.append((index, error))
            }
        }
        forwardToAlertmanagers(accepted, now: now)
        if let deadline = dispatcher.nextDeadline, deadline <= now {
            flushDue(now: now)
        }
        deliverDue()
        wakeup.wake()
        return errors
    }

    /// Applies a new configuration. Groups are rebuilt from the current alerts, as after a
    /// restart; the notification log keeps repeats from being sent early.
    public func reload(_ newConfig: AlertingConfig) {
        config = newConfig
        let now = clock.now()
        inhibitor = Inhibitor(rules: newConfig.inhibitRules)
        for alert in alerts.values { inhibitor.observe(alert) }
        dispatcher.replaceRoute(newConfig.route, alerts: alerts.values, now: now)
        wakeup.wake()
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.processDue()
                let deadline = await self.nextWakeup()
                await self.wakeup.sleep(until: deadline, on: self.clock)
            }
        }
        await drainDeliveries()
    }

    /// Does everything due at the clock's current time: flushes, deliveries, housekeeping.
    /// `run()` calls it whenever the clock reaches a deadline; tools driving a `ManualClock`
    /// (tests, benchmarks) call it directly.
    public func processDue() {
        let now = clock.now()
        flushDue(now: now)
        deliverDue()
        if now >= nextMaintenance {
            maintain(now: now)
            nextMaintenance = now + Self.maintenanceInterval
        }
    }

    private func nextWakeup() -> UnixMillis {
        var deadline = nextMaintenance
        if let flush = dispatcher.nextDeadline { deadline = min(deadline, flush) }
        if let delivery = nextDeliveryDeadline { deadline = min(deadline, delivery) }
        return deadline
    }

    /// Drops resolved alerts no group holds any more, expired log entries and old silences,
    /// and refreshes the gauges.
    func maintain(now: UnixMillis) {
        let grouped = Set(dispatcher.groups.values.flatMap(\.alerts.keys))
        for (fingerprint, alert) in alerts where alert.isResolved(at: now) && !grouped.contains(fingerprint) {
            alerts[fingerprint] = nil
            processed.remove(fingerprint)
            inhibitor.forget(fingerprint)
        }
        _ = notificationLog.collectGarbage(now: now)
        for id in silenceStore.collectGarbage(now: now) {
            do { try store.deleteSilence(id) } catch { logger.error("cannot delete silence \(id): \(error)") }
        }
        do { try store.deleteLog(expiredBefore: now) } catch { logger.error("cannot prune notification log: \(error)") }
        updateGauges(now: now)
    }

    func updateGauges(now: UnixMillis) {
        var counts: [AlertState: Int] = [.active: 0, .suppressed: 0, .unprocessed: 0]
        for alert in alerts.values where !alert.isResolved(at: now) {
            counts[state(of: alert, now: now).state, default: 0] += 1
        }
        for (state, count) in counts { metrics.alerts.labels(["state": state.rawValue]).set(Double(count)) }
        metrics.aggregationGroups.set(Double(dispatcher.groups.count))
        metrics.outboxPending.set(Double(outbox.count))
        var silenceCounts: [Silence.State: Int] = [.active: 0, .pending: 0, .expired: 0]
        for silence in silenceStore.silences.values { silenceCounts[silence.state(at: now), default: 0] += 1 }
        for (state, count) in silenceCounts { metrics.silences.labels(["state": state.rawValue]).set(Double(count)) }
    }
}
