import OutpostCore
import OutpostMetrics
import Synchronization

/// Runs the `targets:` of the config, each on its interval, and shows their latest results
/// on `/metrics` (it is the registry's collector for them).
///
/// Slots are spread over the interval by a hash of the target's name, so 10,000 targets on a
/// 10s interval start about 1,000 probes a second instead of all at once. One loop sleeps
/// until the earliest slot (a heap of them) and starts a task per due probe, so a target
/// costs a task only while its probe runs, not while it waits. A limiter caps probes in
/// flight; time spent waiting for it shows as scheduler lag. A target whose previous probe
/// still runs when its slot comes skips that slot.
public final class ProbeScheduler: MetricsCollector {
    private struct Entry {
        var target: TargetConfig
        var module: ModuleConfig
        var interval: Duration
        var history: [ProbeRecord] = []
        /// Labels every series of this target carries.
        var labels: Labels
        /// Identifies this version of the target, so slots and probes of a replaced one are ignored.
        var generation: Int
        /// The probe in flight, cancelled when the target is removed or replaced.
        var probe: Task<Void, Never>?
        var probing = false
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var slots = SlotQueue()
        var running = false
        var nextGeneration = 0
        /// The loop's current sleep, cancelled to wake it when an earlier slot is queued.
        var sleeper: Task<Void, any Error>?
        var wakeRequested = false
    }

    public static let collectorKey = "probe_scheduler"
    /// The shortest sleep of the scheduling loop, so slots close together share a wake-up.
    static let coalescingMillis: UnixMillis = 10

    private let runner: ProbeRunner
    private let clock: any WallClock
    private let historySize: Int
    private let limiter: ConcurrencyLimiter
    private let state = Mutex(State())
    private let probesTotal: MetricFamily<Counter>
    private let probeDuration: MetricFamily<Histogram>
    private let lag: Gauge

    /// - Parameters:
    ///   - maxConcurrency: probes in flight at most.
    ///   - historySize: results kept per target for the status views.
    public init(runner: ProbeRunner, registry: MetricsRegistry, config: ProbingConfig,
                clock: any WallClock = SystemClock(), maxConcurrency: Int = 1000, historySize: Int = 10) throws(MetricsRegistryError) {
        self.runner = runner
        self.clock = clock
        self.historySize = max(1, historySize)
        limiter = ConcurrencyLimiter(limit: maxConcurrency)
        probesTotal = try registry.counter("outpost_probes_total", help: "Scheduled probes run, by module and result.")
        probeDuration = try registry.histogram("outpost_probe_duration_seconds", help: "How long scheduled probes took.")
        lag = try registry.gauge("outpost_probe_scheduler_lag_seconds",
                                 help: "How late the most recent scheduled probe started, after its slot.").labels(Labels())
        update(config)
        registry.register(collector: self, key: Self.collectorKey)
    }

    /// Runs every target until the calling task is cancelled.
    public func run() async {
        let now = clock.now()
        state.withLock { state in
            state.running = true
            for (name, entry) in state.entries {
                state.slots.insert(Self.firstSlot(name: name, entry: entry, now: now))
            }
        }
        await withTaskCancellationHandler {
            while !Task.isCancelled {
                while let slot = state.withLock({ $0.slots.popDue(now: clock.now()) }) {
                    guard await start(slot) else { return }
                }
                await sleepUntilNextSlot()
            }
        } onCancel: {
            stopAll()
        }
    }

    /// Applies a reloaded config: new targets start, removed ones stop and lose their series,
    /// changed ones restart with the new settings. Unchanged ones keep their history.
    public func update(_ config: ProbingConfig) {
        let now = clock.now()
        let (stale, wake) = state.withLock { state -> ([Task<Void, Never>], Bool) in
            var stopped: [Task<Void, Never>] = []
            var next: [String: Entry] = [:]
            let earliest = state.slots.nextDue
            var wake = false
            for target in config.targets {
                guard let module = config.module(for: target) else { continue }
                let interval = target.interval ?? config.defaultInterval
                let labels = target.labels.merging(["instance": target.target, "module": target.moduleName, "target": target.name])
                if var existing = state.entries.removeValue(forKey: target.name),
                   existing.interval == interval, existing.labels == labels, existing.target.moduleName == target.moduleName,
                   target.inlineModule == nil, existing.target.inlineModule == nil {
                    existing.module = module
                    existing.target = target
                    next[target.name] = existing
                    continue
                } else if let replaced = state.entries.removeValue(forKey: target.name), let task = replaced.probe {
                    stopped.append(task)
                }
                state.nextGeneration += 1
                let entry = Entry(target: target, module: module, interval: interval, labels: labels,
                                  generation: state.nextGeneration)
                if state.running {
                    let slot = Self.firstSlot(name: target.name, entry: entry, now: now)
                    if earliest.map({ slot.due < $0 }) ?? true { wake = true }
                    state.slots.insert(slot)
                }
                next[target.name] = entry
            }
            stopped.append(contentsOf: state.entries.values.compactMap(\.probe))
            state.entries = next
            return (stopped, wake)
        }
        for task in stale { task.cancel() }
        if wake { wakeLoop() }
    }

    /// The targets with their recent results, sorted by name.
    public func statuses() -> [TargetStatus] {
        state.withLock { state in
            state.entries.values.map { TargetStatus(target: $0.target, module: $0.module, history: $0.history) }
        }.sorted { $0.target.name < $1.target.name }
    }

    public func status(of name: String) -> TargetStatus? {
        state.withLock { state in
            state.entries[name].map { TargetStatus(target: $0.target, module: $0.module, history: $0.history) }
        }
    }

    public func collect() -> [FamilySnapshot] {
        let latest = state.withLock { state in
            state.entries.values.compactMap { entry in entry.history.last.map { (entry.labels, $0.result) } }
        }
        var families: [String: FamilySnapshot] = [:]
        for (labels, result) in latest {
            for family in result.allFamilies {
                let series = family.series.map { FamilySnapshot.Series(labels: $0.labels.merging(labels), value: $0.value) }
                families[family.name, default: FamilySnapshot(name: family.name, help: family.help, type: family.type)]
                    .series.append(contentsOf: series)
            }
        }
        return families.values.sorted { $0.name < $1.name }
    }

    /// The target's first slot: its hash offset within the interval, the next one from `now`.
    private static func firstSlot(name: String, entry: Entry, now: UnixMillis) -> SlotQueue.Slot {
        let intervalMillis = max(1, entry.interval.milliseconds)
        let offset = Int64(truncatingIfNeeded: UInt64(StableHash.fnv64(name)) % UInt64(intervalMillis))
        var due = now - ((now - offset) % intervalMillis + intervalMillis) % intervalMillis + intervalMillis
        if due - now >= intervalMillis { due -= intervalMillis }
        return SlotQueue.Slot(due: due, name: name, generation: entry.generation)
    }

    /// Starts the probe of a due slot and queues the target's next slot; false when cancelled
    /// while waiting for the limiter.
    private func start(_ slot: SlotQueue.Slot) async -> Bool {
        let current = state.withLock { state -> (TargetConfig, ModuleConfig, Duration, Bool)? in
            guard let entry = state.entries[slot.name], entry.generation == slot.generation else { return nil }
            return (entry.target, entry.module, entry.interval, entry.probing)
        }
        guard let (target, module, interval, probing) = current else { return true }
        if !probing {
            if !limiter.tryAcquire() {
                do { try await limiter.acquire() } catch { return false }
            }
            let claimed = state.withLock { state -> Bool in
                guard state.entries[slot.name]?.generation == slot.generation else { return false }
                state.entries[slot.name]!.probing = true
                return true
            }
            if claimed {
                let task = Task(executorPreference: runner.preferredExecutor(for: module)) { [self] in
                    await probe(slot, target: target, module: module, interval: interval)
                    limiter.release()
                }
                state.withLock { state in
                    if state.entries[slot.name]?.generation == slot.generation, state.entries[slot.name]!.probing {
                        state.entries[slot.name]!.probe = task
                    }
                }
            } else {
                limiter.release()
            }
        }
        let intervalMillis = max(1, interval.milliseconds)
        var next = slot.due + intervalMillis
        let now = clock.now()
        if next <= now {
            // Fell a whole interval behind: skip the missed slots rather than bursting.
            next += ((now - next) / intervalMillis + 1) * intervalMillis
        }
        state.withLock { state in
            guard state.running, state.entries[slot.name]?.generation == slot.generation else { return }
            state.slots.insert(SlotQueue.Slot(due: next, name: slot.name, generation: slot.generation))
        }
        return true
    }

    private func probe(_ slot: SlotQueue.Slot, target: TargetConfig, module: ModuleConfig, interval: Duration) async {
        let started = clock.now()
        lag.set(Double(max(0, started - slot.due)) / 1000)
        let result = await runner.run(target: target.target, module: module, timeoutLimit: interval)
        let recorded = state.withLock { state -> Bool in
            guard state.entries[slot.name]?.generation == slot.generation else { return false }
            state.entries[slot.name]!.probing = false
            state.entries[slot.name]!.probe = nil
            guard !Task.isCancelled else { return false }
            state.entries[slot.name]!.history.append(ProbeRecord(timestamp: started, result: result))
            if state.entries[slot.name]!.history.count > historySize { state.entries[slot.name]!.history.removeFirst() }
            return true
        }
        guard recorded else { return }
        probesTotal.labels(["module": target.moduleName, "result": result.success ? "success" : "failure"]).increment()
        probeDuration.labels(["module": target.moduleName]).observe(result.duration)
    }

    /// Sleeps until the earliest slot is due, or until `update` queues an earlier one.
    private func sleepUntilNextSlot() async {
        let sleeper = state.withLock { state -> Task<Void, any Error>? in
            guard !state.wakeRequested else {
                state.wakeRequested = false
                return nil
            }
            // Slots due within the next few milliseconds start together: at 10,000 targets a
            // wake-up per slot would cost more than the lag this adds.
            let now = clock.now()
            let due = max(state.slots.nextDue ?? now + 3_600_000, now + Self.coalescingMillis)
            let sleeper = Task { [clock] in try await clock.sleep(until: due) }
            state.sleeper = sleeper
            return sleeper
        }
        guard let sleeper else { return }
        await withTaskCancellationHandler {
            _ = await sleeper.result
        } onCancel: {
            sleeper.cancel()
        }
        state.withLock { $0.sleeper = nil }
    }

    private func wakeLoop() {
        let sleeper = state.withLock { state -> Task<Void, any Error>? in
            if state.sleeper == nil { state.wakeRequested = true }
            return state.sleeper
        }
        sleeper?.cancel()
    }

    private func stopAll() {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.running = false
            state.slots.removeAll()
            let tasks = state.entries.values.compactMap(\.probe)
            for name in Array(state.entries.keys) {
                state.entries[name]?.probe = nil
                state.entries[name]?.probing = false
            }
            return tasks
        }
        for task in tasks { task.cancel() }
    }
}

/// A hash that is the same in every run (unlike `Hasher`), so slots stay put across restarts.
enum StableHash {
    static func fnv64(_ text: String) -> UInt64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        return hash
    }
}
