import CPrefetch
import OutpostCore
import Synchronization

/// A named metric and all its series, one per label set, typed by the kind of series.
///
/// Series are created on first use and kept in creation order, so every scrape lists them
/// in the same order without sorting. A series created with a TTL is removed once it has not
/// been touched for that long (see `MetricsRegistry.removeExpired`).
public struct MetricFamily<Child: MetricChild>: Sendable {
    let table: SeriesTable

    public var name: String { table.name }
    public var help: String { table.help }
    public var type: MetricType { table.type }
    public var seriesCount: Int { table.seriesCount }

    /// The series for `labels`, created if new. With a `ttl`, the series expires when it has not
    /// been touched for that long; `now` starts its clock.
    public func labels(_ labels: Labels, ttl: Duration? = nil, now: UnixMillis = 0) -> Child {
        unsafeDowncast(table.child(labels, ttlMillis: ttl?.milliseconds ?? 0, now: now), to: Child.self)
    }

    public func labels(_ pairs: (String, String)...) -> Child { labels(Labels(pairs)) }

    /// The series for `labels` if it exists.
    public func existing(_ labels: Labels) -> Child? {
        table.existing(labels).map { unsafeDowncast($0, to: Child.self) }
    }

    @discardableResult
    public func remove(_ labels: Labels) -> Bool { table.remove(labels) }

    /// Removes the series for which `shouldRemove` is true.
    public func removeAll(where shouldRemove: (Labels) -> Bool) { table.removeAll(where: shouldRemove) }
}

/// The series of one family, untyped: what the registry stores and walks.
///
/// Kept free of generic parameters so the registry's walks over thousands of series run as
/// plain concrete code.
final class SeriesTable: Sendable {
    private struct Entry {
        var labels: Labels
        /// The labels in exposition syntax, made once so scrapes copy instead of escaping.
        var encodedLabels: [UInt8]
        var child: any MetricChild
        var ttlMillis: Int64
    }

    private struct State {
        var index: [Labels: Int] = [:]
        var entries: [Entry] = []
        var expiringCount = 0
    }

    let name: String
    let help: String
    let type: MetricType
    private let make: @Sendable () -> any MetricChild
    private let state = Mutex(State())

    init(name: String, help: String, type: MetricType, make: @escaping @Sendable () -> any MetricChild) {
        self.name = name
        self.help = help
        self.type = type
        self.make = make
    }

    var seriesCount: Int { state.withLock { $0.entries.count } }

    func child(_ labels: Labels, ttlMillis: Int64, now: UnixMillis) -> any MetricChild {
        state.withLock { state in
            if let position = state.index[labels] { return state.entries[position].child }
            let child = make()
            if ttlMillis > 0 {
                child.touch(at: now)
                state.expiringCount += 1
            }
            state.index[labels] = state.entries.count
            state.entries.append(Entry(labels: labels, encodedLabels: LabelEncoding.encode(labels), child: child, ttlMillis: ttlMillis))
            return child
        }
    }

    func existing(_ labels: Labels) -> (any MetricChild)? {
        state.withLock { state in state.index[labels].map { state.entries[$0].child } }
    }

    func remove(_ labels: Labels) -> Bool {
        state.withLock { state in
            guard let position = state.index.removeValue(forKey: labels) else { return false }
            Self.remove(at: position, from: &state)
            return true
        }
    }

    func removeAll(where shouldRemove: (Labels) -> Bool) {
        _ = removeEntries { entry in shouldRemove(entry.labels) }
    }

    func removeExpired(now: UnixMillis) -> [Labels] {
        guard state.withLock({ $0.expiringCount > 0 }) else { return [] }
        return removeEntries { entry in entry.ttlMillis > 0 && entry.child.lastUpdate + entry.ttlMillis <= now }
    }

    func visitSeries<V: MetricVisitor>(_ visitor: inout V, scratch: inout HistogramSample) {
        // Take the membership under the lock (a copy-on-write reference, not a copy) and read
        // values after it, so writers creating series never wait for a slow scrape.
        let entries = state.withLock { $0.entries }
        entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                if index + Self.prefetchDistance < entries.count {
                    Self.prefetch(entries.baseAddress! + index + Self.prefetchDistance)
                }
                visitor.visitSeries(labels: entries[index].labels, encodedLabels: entries[index].encodedLabels,
                                    value: entries[index].child.read(into: &scratch))
            }
        }
    }

    /// How many series ahead a walk asks for memory.
    private static let prefetchDistance = 4
    private static let childOffset = MemoryLayout<Entry>.offset(of: \Entry.child) ?? 0
    private static let encodedLabelsOffset = MemoryLayout<Entry>.offset(of: \Entry.encodedLabels) ?? 0

    /// Asks for the series object and its encoded labels of `entry`, which a walk reads a few
    /// steps later. Each lives in its own heap block, so a scrape of many series is bound by
    /// waiting for memory unless it is requested early.
    ///
    /// Reads the references' bits without retaining them: a retain would itself wait for the
    /// memory. A class existential and an array each start with their object's address, and a
    /// prefetch of a wrong address is harmless, so this never affects what is read.
    @inline(__always)
    private static func prefetch(_ entry: UnsafePointer<Entry>) {
        let raw = UnsafeRawPointer(entry)
        outpost_prefetch(raw.load(fromByteOffset: childOffset, as: UnsafeRawPointer.self))
        let labels = raw.load(fromByteOffset: encodedLabelsOffset, as: UnsafeRawPointer.self)
        outpost_prefetch(labels)
        outpost_prefetch(labels + 64)
    }

    private func removeEntries(where shouldRemove: (Entry) -> Bool) -> [Labels] {
        state.withLock { state in
            var removed: [Labels] = []
            var position = 0
            while position < state.entries.count {
                let entry = state.entries[position]
                if shouldRemove(entry) {
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

    private static func remove(at position: Int, from state: inout State) {
        if state.entries[position].ttlMillis > 0 { state.expiringCount -= 1 }
        let last = state.entries.count - 1
        if position != last {
            state.entries[position] = state.entries[last]
            state.index[state.entries[position].labels] = position
        }
        state.entries.removeLast()
    }
}
