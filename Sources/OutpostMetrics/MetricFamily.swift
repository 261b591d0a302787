import OutpostCore
import Synchronization

/// A named metric and all its series, one per label set.
///
/// Series are created on first use and kept in creation order, so every scrape lists them
/// in the same order without sorting. A series created with a TTL is removed once it has not
/// been touched for that long (see `MetricsRegistry.removeExpired`).
public final class MetricFamily<Child: MetricChild>: AnyMetricFamily {
    private struct Entry {
        var labels: Labels
        var child: Child
        var ttlMillis: Int64
    }

    private struct State {
        var index: [Labels: Int] = [:]
        var entries: [Entry] = []
        var expiringCount = 0
    }

    public let name: String
    public let help: String
    private let make: @Sendable () -> Child
    private let state = Mutex(State())

    init(name: String, help: String, make: @escaping @Sendable () -> Child) {
        self.name = name
        self.help = help
        self.make = make
    }

    public var type: MetricType { Child.type }

    /// The series for `labels`, created if new. With a `ttl`, the series expires when it has not
    /// been touched for that long; `now` starts its clock.
    public func labels(_ labels: Labels, ttl: Duration? = nil, now: UnixMillis = 0) -> Child {
        state.withLock { state in
            if let position = state.index[labels] { return state.entries[position].child }
            let child = make()
            let ttlMillis = ttl?.milliseconds ?? 0
            if ttlMillis > 0 {
                child.touch(at: now)
                state.expiringCount += 1
            }
            state.index[labels] = state.entries.count
            state.entries.append(Entry(labels: labels, child: child, ttlMillis: ttlMillis))
            return child
        }
    }

    public func labels(_ pairs: (String, String)...) -> Child { labels(Labels(pairs)) }

    /// The series for `labels` if it exists.
    public func existing(_ labels: Labels) -> Child? {
        state.withLock { state in state.index[labels].map { state.entries[$0].child } }
    }

    @discardableResult
    public func remove(_ labels: Labels) -> Bool {
        state.withLock { state in
            guard let position = state.index.removeValue(forKey: labels) else { return false }
            Self.remove(at: position, from: &state)
            return true
        }
    }

    /// Keeps only the series for which `keep` is true.
    public func removeAll(where shouldRemove: (Labels) -> Bool) {
        state.withLock { state in
            var position = 0
            while position < state.entries.count {
                if shouldRemove(state.entries[position].labels) {
                    state.index.removeValue(forKey: state.entries[position].labels)
                    Self.remove(at: position, from: &state)
                } else {
                    position += 1
                }
            }
        }
    }

    public var seriesCount: Int { state.withLock { $0.entries.count } }

    private static func remove(at position: Int, from state: inout State) {
        if state.entries[position].ttlMillis > 0 { state.expiringCount -= 1 }
        let last = state.entries.count - 1
        if position != last {
            state.entries[position] = state.entries[last]
            state.index[state.entries[position].labels] = position
        }
        state.entries.removeLast()
    }

    func removeExpired(now: UnixMillis) -> [Labels] {
        state.withLock { state in
            guard state.expiringCount > 0 else { return [] }
            var removed: [Labels] = []
            var position = 0
            while position < state.entries.count {
                let entry = state.entries[position]
                if entry.ttlMillis > 0, entry.child.lastUpdate + entry.ttlMillis <= now {
                    removed.append(entry.labels)
                    state.index.removeValue(forKey: entry.labels)
                    Self.remove(at: position, from: &state)
                } else {
                    position += 1
                }
            }
            return removed
        }
    }

    func visitSeries<V: MetricVisitor>(_ visitor: inout V, scratch: inout HistogramSample) {
        // Copy the membership under the lock, read values after it, so writers creating
        // series never wait for a slow scrape.
        let members = state.withLock { state in state.entries.map { ($0.labels, $0.child) } }
        for (labels, child) in members {
            visitor.visitSeries(labels: labels, value: child.read(into: &scratch))
        }
    }
}

/// A family of any child type, as the registry stores it.
protocol AnyMetricFamily: AnyObject, Sendable {
    var name: String { get }
    var help: String { get }
    var type: MetricType { get }
    var seriesCount: Int { get }
    func removeExpired(now: UnixMillis) -> [Labels]
    func visitSeries<V: MetricVisitor>(_ visitor: inout V, scratch: inout HistogramSample)
}
