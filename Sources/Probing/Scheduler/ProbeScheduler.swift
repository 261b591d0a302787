import OutpostCore
import OutpostMetrics
import Synchronization

/// Runs the `targets:` of the config, each on its interval, and shows their latest results
/// on `/metrics` (it is the registry's collector for them).
///
/// Each target has one task that sleeps until its next slot; slots are spread over the
/// interval by a hash of the target's name, so 10,000 targets on a 10s interval start about
/// 1,000 probes a second instead of all at once. A limiter caps probes in flight; time spent
/// waiting for it shows as scheduler lag.
public final class ProbeScheduler: MetricsCollector {
    private struct Entry {
        var target: TargetConfig
        var module: ModuleConfig
        var interval: Duration
        var task: Task<Void, Never>?
        var history: [ProbeRecord] = []
        /// Labels every series of this target carries.
        var labels: Labels
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var running = false
    }

    public static let collectorKey = "probe_scheduler"

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
        state.withLock { state in
            state.running = true
            for (name, entry) in state.entries where entry.task == nil {
                state.entries[name]?.task = startTask(name: name, interval: entry.interval)
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

    /// Applies a reloaded config: new targets start, removed ones stop and lose their series,
    /// changed ones restart with the new settings. Unchanged ones keep their history.
    public func update(_ config: ProbingConfig) {
        let stale = state.withLock { state -> [Task<Void, Never>] in
            var stopped: [Task<Void, Never>] = []
            var next: [String: Entry] = [:]
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
                } else if let replaced = state.entries.removeValue(forKey: target.name), let task = replaced.task {
                    stopped.append(task)
                }
                var entry = Entry(target: target, module: module, interval: interval, labels: labels)
                if state.running { entry.task = startTask(name: target.name, interval: interval) }
                next[target.name] = entry
            }
            stopped.append(contentsOf: state.entries.values.compactMap(\.task))
            state.entries = next
            return stopped
        }
        for task in stale { task.cancel() }
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

    private func stopAll() {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.running = false
            let tasks = state.entries.values.compactMap(\.task)
            for name in Array(state.entries.keys) { state.entries[name]?.task = nil }
            return tasks
        }
        for task in tasks { task.cancel() }
    }

    private func startTask(name: String, interval: Duration) -> Task<Void, Never> {
        Task { [weak self] in
            guard let self else { return }
            let intervalMillis = max(1, interval.milliseconds)
            let offset = Int64(truncatingIfNeeded: UInt64(StableHash.fnv64(name)) % UInt64(intervalMillis))
            let now = clock.now()
            var due = now - ((now - offset) % intervalMillis + intervalMillis) % intervalMillis + intervalMillis
            if due - now >= intervalMillis { due -= intervalMillis }
            while !Task.isCancelled {
                do {
                    try await clock.sleep(until: due)
                    try await limiter.acquire()
                } catch {
                    return
                }
                await probe(name: name, due: due, interval: interval)
                limiter.release()
                due += intervalMillis
                let current = clock.now()
                if due <= current {
                    // Fell a whole interval behind: skip the missed slots rather than bursting.
                    due += ((current - due) / intervalMillis + 1) * intervalMillis
                }
            }
        }
    }

    private func probe(name: String, due: UnixMillis, interval: Duration) async {
        guard let (target, module) = state.withLock({ state in state.entries[name].map { ($0.target, $0.module) } }) else { return }
        let started = clock.now()
        lag.set(Double(max(0, started - due)) / 1000)
        let result = await runner.run(target: target.target, module: module, timeoutLimit: interval)
        guard !Task.isCancelled else { return }
        probesTotal.labels(["module": target.moduleName, "result": result.success ? "success" : "failure"]).increment()
        probeDuration.labels(["module": target.moduleName]).observe(result.duration)
        state.withLock { state in
            guard state.entries[name] != nil else { return }
            state.entries[name]!.history.append(ProbeRecord(timestamp: started, result: result))
            if state.entries[name]!.history.count > historySize { state.entries[name]!.history.removeFirst() }
        }
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
