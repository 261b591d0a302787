import OutpostCore
import Synchronization

public enum MetricsRegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name is taken by a family of another type, or by a series name another family adds
    /// (`x_count` next to histogram `x`).
    case conflict(name: String, existing: String, existingType: MetricType)
    case invalidName(String)

    public var description: String {
        switch self {
        case .conflict(let name, let existing, let type):
            name == existing
                ? "metric \(name) is already registered as a \(type.rawValue)"
                : "metric \(name) conflicts with \(type.rawValue) \(existing)"
        case .invalidName(let name): "\"\(name)\" is not a valid metric name"
        }
    }
}

/// All metric families and collectors of one process.
///
/// Many tasks write concurrently: looking up a family takes the registry lock briefly, and
/// updating a series touches only that series (an atomic for counters and gauges, a lock of
/// its own for histograms and summaries). Hot paths keep the child they got and skip lookups.
public final class MetricsRegistry: Sendable {
    private struct State {
        var families: [String: SeriesTable] = [:]
        var collectors: [String: any MetricsCollector] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func counter(_ name: String, help: String) throws(MetricsRegistryError) -> MetricFamily<Counter> {
        try family(name, help: help) { Counter() }
    }

    public func gauge(_ name: String, help: String) throws(MetricsRegistryError) -> MetricFamily<Gauge> {
        try family(name, help: help) { Gauge() }
    }

    public func histogram(_ name: String, help: String, buckets: [Double] = Histogram.defaultBuckets) throws(MetricsRegistryError) -> MetricFamily<Histogram> {
        let bounds = Histogram.normalized(buckets)
        return try family(name, help: help) { Histogram(upperBounds: bounds) }
    }

    public func summary(_ name: String, help: String,
                        objectives: [(quantile: Double, error: Double)] = Summary.defaultObjectives,
                        maxAge: Duration = .seconds(600), ageBuckets: Int = 5,
                        clock: any WallClock = SystemClock()) throws(MetricsRegistryError) -> MetricFamily<Summary> {
        let targets = objectives.map { SendablePair(quantile: $0.quantile, error: $0.error) }
        return try family(name, help: help) {
            Summary(objectives: targets.map { ($0.quantile, $0.error) }, maxAge: maxAge, ageBuckets: ageBuckets, clock: clock)
        }
    }

    /// The family called `name`, registered on first use; an existing one is returned when the
    /// type matches, and a clash of type or of series names is an error.
    public func family<Child: MetricChild>(_ name: String, help: String, make: @escaping @Sendable () -> Child) throws(MetricsRegistryError) -> MetricFamily<Child> {
        guard MetricNames.isValidMetricName(name) else { throw .invalidName(name) }
        let result: Result<MetricFamily<Child>, MetricsRegistryError> = state.withLock { state in
            if let existing = state.families[name] {
                if existing.type == Child.type { return .success(MetricFamily(table: existing)) }
                return .failure(.conflict(name: name, existing: name, existingType: existing.type))
            }
            if let clash = Self.suffixConflict(name: name, type: Child.type, families: state.families) {
                return .failure(clash)
            }
            let table = SeriesTable(name: name, help: help, type: Child.type, make: make)
            state.families[name] = table
            return .success(MetricFamily(table: table))
        }
        return try result.get()
    }

    private static func suffixConflict(name: String, type: MetricType, families: [String: SeriesTable]) -> MetricsRegistryError? {
        for suffix in type.reservedSuffixes {
            if let other = families[name + suffix] {
                return .conflict(name: name, existing: other.name, existingType: other.type)
            }
        }
        for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let other = families[base], other.type.reservedSuffixes.contains(suffix) {
                return .conflict(name: name, existing: base, existingType: other.type)
            }
        }
        return nil
    }

    /// Removes a family and all its series.
    public func unregister(_ name: String) {
        _ = state.withLock { $0.families.removeValue(forKey: name) }
    }

    /// Adds or replaces the collector registered under `key`.
    public func register(collector: any MetricsCollector, key: String) {
        state.withLock { $0.collectors[key] = collector }
    }

    public func unregisterCollector(key: String) {
        _ = state.withLock { $0.collectors.removeValue(forKey: key) }
    }

    /// Removes series whose TTL ran out; returns the name and labels of each.
    @discardableResult
    public func removeExpired(now: UnixMillis) -> [(name: String, labels: Labels)] {
        let families = state.withLock { Array($0.families.values) }
        var removed: [(name: String, labels: Labels)] = []
        for family in families {
            for labels in family.removeExpired(now: now) { removed.append((family.name, labels)) }
        }
        return removed
    }

    /// Walks every family, sorted by name, and every series in it.
    ///
    /// Families and collectors are taken together under the lock, so a scrape sees one
    /// registry state even while a reload swaps collectors.
    public func visit<V: MetricVisitor>(_ visitor: inout V) {
        let (families, collectors) = state.withLock { state in
            (Array(state.families.values), Array(state.collectors.values))
        }
        var collected: [FamilySnapshot] = []
        for collector in collectors { collected.append(contentsOf: collector.collect()) }
        let merged = Self.merge(collected)

        var scratch = HistogramSample(upperBounds: [], cumulativeCounts: [], sum: 0, count: 0)
        var live = families.sorted { $0.name < $1.name }[...]
        var fromCollectors = merged[...]
        while let next = Self.nextName(live.first?.name, fromCollectors.first?.name) {
            if let family = live.first, family.name == next {
                visitor.visitFamily(name: family.name, help: family.help, type: family.type)
                family.visitSeries(&visitor, scratch: &scratch)
                live = live.dropFirst()
                if let snapshot = fromCollectors.first, snapshot.name == next {
                    for series in snapshot.series { visitor.visitSeries(labels: series.labels, value: series.value) }
                    fromCollectors = fromCollectors.dropFirst()
                }
            } else if let snapshot = fromCollectors.first {
                visitor.visitFamily(name: snapshot.name, help: snapshot.help, type: snapshot.type)
                for series in snapshot.series { visitor.visitSeries(labels: series.labels, value: series.value) }
                fromCollectors = fromCollectors.dropFirst()
            }
        }
    }

    /// Every family with its series, as values.
    public func snapshot() -> [FamilySnapshot] {
        var collector = SnapshotVisitor()
        visit(&collector)
        return collector.families
    }

    /// Number of series across all registered families (collectors not included).
    public var seriesCount: Int {
        state.withLock { Array($0.families.values) }.reduce(0) { $0 + $1.seriesCount }
    }

    private static func nextName(_ a: String?, _ b: String?) -> String? {
        switch (a, b) {
        case (nil, nil): nil
        case (let a?, nil): a
        case (nil, let b?): b
        case (let a?, let b?): min(a, b)
        }
    }

    /// Sorts collected families by name and joins those that share one.
    private static func merge(_ collected: [FamilySnapshot]) -> [FamilySnapshot] {
        var byName: [String: FamilySnapshot] = [:]
        for family in collected {
            if var existing = byName[family.name] {
                existing.series.append(contentsOf: family.series)
                byName[family.name] = existing
            } else {
                byName[family.name] = family
            }
        }
        return byName.values.sorted { $0.name < $1.name }
    }
}

private struct SendablePair: Sendable {
    var quantile: Double
    var error: Double
}

struct SnapshotVisitor: MetricVisitor {
    var families: [FamilySnapshot] = []

    mutating func visitFamily(name: String, help: String, type: MetricType) {
        families.append(FamilySnapshot(name: name, help: help, type: type))
    }

    mutating func visitSeries(labels: Labels, value: MetricValue) {
        families[families.count - 1].series.append(.init(labels: labels, value: value))
    }
}
