import Logging
import OutpostCore
import OutpostMetrics
import PromQL
import Synchronization
import TSDB

/// Runs the loaded rule groups, each on its own slots (`RuleGroupSchedule`), and after each
/// evaluation saves the group's alerts and hands due notifications to alert routing.
///
/// `update(groups:)` applies a reload the way Prometheus does: groups are rebuilt, each new
/// group takes over the state of the old group with the same file and name, and groups that
/// are gone have their series marked stale. The first `update` restores saved alerts.
public final class RuleManager: Sendable {
    /// Where due alerts go: Outpost's own routing and, through it, any external Alertmanager.
    public typealias AlertSink = @Sendable ([OutgoingAlert]) async -> Void

    public struct Options: Sendable, Equatable {
        public var externalLabels: Labels
        public var externalURL: String
        /// Least time between two notifications of an unchanged alert (ms), Prometheus's `--rules.alert.resend-delay`.
        public var resendDelay: Int64
        public var restorePolicy: AlertRestorePolicy

        public init(externalLabels: Labels = Labels(), externalURL: String = "", resendDelay: Int64 = 60_000,
                    restorePolicy: AlertRestorePolicy = AlertRestorePolicy()) {
            self.externalLabels = externalLabels
            self.externalURL = externalURL
            self.resendDelay = resendDelay
            self.restorePolicy = restorePolicy
        }
    }

    private struct Entry {
        var evaluator: RuleGroupEvaluator
        var schedule: RuleGroupSchedule
        var task: Task<Void, Never>?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var options: Options
        /// Runs the rules' queries; groups built from now on use it.
        var engine: Engine
        var running = false
        /// Saved alerts not yet given back, by group key; consumed by the first `update`.
        var saved: [String: RuleStateStore.SavedGroup]?
    }

    private let head: Head
    private let clock: any WallClock
    private let store: RuleStateStore?
    private let sink: AlertSink?
    private let logger: Logger
    private let metrics: RuleMetrics
    private let state: Mutex<State>
    private let executor: ThreadPoolExecutor?

    /// - Parameter executor: where groups evaluate; Outpost gives them threads of their own so
    ///   long evaluations cannot starve probing and alerting. Nil uses the global executor.
    public init(head: Head, engine: Engine, registry: MetricsRegistry, clock: any WallClock = SystemClock(),
                store: RuleStateStore?, options: Options = Options(), sink: AlertSink?, logger: Logger,
                executor: ThreadPoolExecutor? = nil) throws {
        self.head = head
        self.executor = executor
        self.clock = clock
        self.store = store
        self.sink = sink
        self.logger = logger
        metrics = try RuleMetrics(registry: registry)
        var saved: [String: RuleStateStore.SavedGroup] = [:]
        if let store {
            let loaded = try store.loadAll()
            saved = loaded.groups
            for key in loaded.unreadable {
                logger.warning("Saved alert state is unreadable; the group starts without it", metadata: ["group": "\(key)"])
            }
        }
        state = Mutex(State(options: options, engine: engine, saved: saved))
    }

    /// Replaces the running groups with `groups`, keeping the state of groups that stay; with
    /// `engine`, their queries run on it from now on (reloaded query settings).
    public func update(groups: [RuleGroup], options: Options, engine: Engine? = nil) {
        let now = clock.now()
        let (stopped, removed) = state.withLock { state -> ([Task<Void, Never>], [RuleGroupEvaluator]) in
            let saved = state.saved ?? [:]
            state.saved = nil
            state.options = options
            if let engine { state.engine = engine }
            var next: [String: Entry] = [:]
            var stopped: [Task<Void, Never>] = []
            for group in groups {
                let evaluator = RuleGroupEvaluator(group: group, engine: state.engine, head: head,
                                                   externalLabels: options.externalLabels, externalURL: options.externalURL)
                if let old = state.entries.removeValue(forKey: group.key) {
                    evaluator.copyState(from: old.evaluator)
                    if let task = old.task { stopped.append(task) }
                } else if let savedGroup = saved[group.key] {
                    evaluator.restore(restorable(savedGroup, group: group, now: now, policy: options.restorePolicy))
                }
                metrics.register(group)
                var entry = Entry(evaluator: evaluator, schedule: RuleGroupSchedule(file: group.file, name: group.name, interval: group.interval))
                if state.running { entry.task = startTask(key: group.key) }
                next[group.key] = entry
            }
            stopped += state.entries.values.compactMap(\.task)
            let removed = state.entries.values.map(\.evaluator)
            state.entries = next
            return (stopped, removed)
        }
        for task in stopped { task.cancel() }
        for evaluator in removed {
            evaluator.markAllStale(at: now)
            metrics.unregister(groupKey: evaluator.group.key)
        }
        do {
            try store?.remove(groupKeys: removed.map(\.group.key))
        } catch {
            logger.warning("Cannot forget the saved state of removed rule groups", metadata: ["err": "\(error)"])
        }
    }

    /// Evaluates every group on its slots until the calling task is cancelled.
    public func run() async {
        state.withLock { state in
            state.running = true
            for key in Array(state.entries.keys) where state.entries[key]?.task == nil {
                state.entries[key]?.task = startTask(key: key)
            }
        }
        await withTaskCancellationHandler {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
            }
        } onCancel: {
            stopAll()
        }
    }

    /// Every group as `/api/v1/rules` lists them: by file, then name.
    public func groupStatuses() -> [RuleGroupStatus] {
        let evaluators = state.withLock { $0.entries.values.map(\.evaluator) }
        return evaluators.map(\.status).sorted { ($0.file, $0.name) < ($1.file, $1.name) }
    }

    /// Evaluates one group at `time` now, outside its schedule; what the loop does at each slot.
    public func evaluate(groupKey: String, at time: UnixMillis) async {
        guard let (evaluator, options) = state.withLock({ state in state.entries[groupKey].map { ($0.evaluator, state.options) } }) else {
            return
        }
        let evaluation = evaluator.evaluate(at: time)
        metrics.record(evaluation, group: evaluator.group)
        for failure in evaluation.failures {
            logger.warning("Evaluating rule failed", metadata: [
                "group": "\(evaluator.group.name)", "file": "\(evaluator.group.file)", "rule": "\(failure.name)",
                "err": "\(failure.lastError ?? "")",
            ])
        }
        let due = evaluator.alertsToSend(at: time, resendDelay: options.resendDelay)
        do {
            try store?.save(groupKey: groupKey, records: evaluator.alertRecords(), at: time)
        } catch {
            metrics.stateSaveFailures.increment()
            logger.error("Cannot save alert state", metadata: ["group": "\(groupKey)", "err": "\(error)"])
        }
        if let sink, !due.isEmpty {
            metrics.alertsSent.increment(by: Double(due.count))
            await sink(due)
        }
    }

    private func restorable(_ saved: RuleStateStore.SavedGroup, group: RuleGroup, now: UnixMillis,
                            policy: AlertRestorePolicy) -> [AlertRecord] {
        policy.adjust(saved.records, savedAt: saved.savedAt, now: now) { record in
            group.rules.first { $0.kind == .alerting && $0.key == record.ruleKey }?.holdDuration
        }
    }

    private func stopAll() {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.running = false
            let tasks = state.entries.values.compactMap(\.task)
            for key in Array(state.entries.keys) { state.entries[key]?.task = nil }
            return tasks
        }
        for task in tasks { task.cancel() }
    }

    private func startTask(key: String) -> Task<Void, Never> {
        Task(executorPreference: executor) { [weak self] in
            guard let self, let schedule = state.withLock({ $0.entries[key]?.schedule }) else { return }
            var slot = schedule.slot(after: clock.now())
            while !Task.isCancelled {
                do {
                    try await clock.sleep(until: slot)
                } catch {
                    return
                }
                // Slots that passed entirely while an evaluation overran are skipped and counted.
                let missed = (clock.now() - slot) / schedule.interval
                if missed > 0, let group = state.withLock({ $0.entries[key]?.evaluator.group }) {
                    metrics.recordMissed(missed, group: group)
                    slot += missed * schedule.interval
                }
                guard !Task.isCancelled else { return }
                await evaluate(groupKey: key, at: slot)
                slot += schedule.interval
            }
        }
    }
}
