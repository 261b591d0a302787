import OutpostCore
import Synchronization

/// The in-memory store of recent samples: series by label set, a postings index, Gorilla chunks.
///
/// Thread-safe: every operation takes one lock; queries copy chunk snapshots and decode outside it.
/// With a write-ahead log attached (`Head+WAL.swift`), every accepted sample is also logged.
public final class Head: Sendable {
    struct State {
        var series: [MemSeries?] = []
        var refsByLabels: [Labels: SeriesRef] = [:]
        var postings = Postings()
        var liveCount = 0
        var wal: WALWriter?
    }

    let state = Mutex(State())

    public init() {}

    /// Appends a sample to the series with these labels, creating it when new; returns its ref
    /// for faster appends later. Timestamps are milliseconds and must increase per series.
    @discardableResult
    public func append(_ labels: Labels, _ t: Int64, _ v: Double) throws(AppendError) -> SeriesRef {
        try state.withLock { (state) throws(AppendError) -> SeriesRef in
            try Head.append(labels, t, v, to: &state)
        }
    }

    private static func append(_ labels: Labels, _ t: Int64, _ v: Double, to state: inout State) throws(AppendError) -> SeriesRef {
        let series: MemSeries
        if let ref = state.refsByLabels[labels], let existing = state.series[ref] {
            series = existing
        } else {
            series = MemSeries(ref: state.series.count, labels: labels)
            add(series, to: &state)
            state.wal?.logSeries(ref: series.ref, labels: labels)
        }
        try series.append(t, v)
        state.wal?.logSample(ref: series.ref, t: t, v: v)
        return series.ref
    }

    /// Puts `series` at its ref (refs stay stable across restarts, so slots may be skipped) and indexes it.
    static func add(_ series: MemSeries, to state: inout State) {
        while state.series.count <= series.ref { state.series.append(nil) }
        state.series[series.ref] = series
        state.refsByLabels[series.labels] = series.ref
        state.liveCount += 1
        for label in series.labels { state.postings.add(series.ref, name: label.name, value: label.value) }
    }

    /// Appends to a series by the ref an earlier append returned.
    public func append(ref: SeriesRef, _ t: Int64, _ v: Double) throws(AppendError) {
        try state.withLock { (state) throws(AppendError) in
            guard ref >= 0, ref < state.series.count, let series = state.series[ref] else { throw .unknownSeries }
            try series.append(t, v)
            state.wal?.logSample(ref: ref, t: t, v: v)
        }
    }

    /// Appends many samples under one lock acquisition as one WAL commit; returns how many were rejected.
    @discardableResult
    public func append(batch: [(labels: Labels, t: Int64, v: Double)]) -> Int {
        state.withLock { state in
            var rejected = 0
            for sample in batch {
                do { _ = try Head.append(sample.labels, sample.t, sample.v, to: &state) } catch { rejected += 1 }
            }
            state.wal?.flush()
            return rejected
        }
    }

    /// Marks the series stale at `t` (when its target or metric disappears).
    public func markStale(_ labels: Labels, at t: Int64) throws(AppendError) {
        try append(labels, t, StaleMarker.value)
    }

    /// The series matching all `matchers` with their samples in [mint, maxt], sorted by labels.
    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [QueriedSeries] {
        let found: [QueriedSeries] = state.withLock { state in
            var candidates: [SeriesRef]?
            for matcher in matchers where !matcher.matches("") {
                let refs = state.postings.refs(name: matcher.name, where: matcher.matches)
                candidates = candidates.map { Postings.intersect($0, refs) } ?? refs
                if candidates?.isEmpty == true { return [] }
            }
            var result: [QueriedSeries] = []
            let visit: (MemSeries) -> Void = { series in
                guard matchers.allSatisfy({ $0.matches(series.labels) }) else { return }
                let chunks = series.chunks(overlapping: mint, maxt)
                guard !chunks.isEmpty else { return }
                result.append(QueriedSeries(labels: series.labels, chunks: chunks, mint: mint, maxt: maxt))
            }
            if let candidates {
                for ref in candidates { if let series = state.series[ref] { visit(series) } }
            } else {
                for case let series? in state.series { visit(series) }
            }
            return result
        }
        return found.sorted { $0.labels < $1.labels }
    }

    /// The values of label `name` across all series, sorted.
    public func labelValues(_ name: String) -> [String] {
        state.withLock { state in (state.postings.byLabel[name].map { Array($0.keys) } ?? []).sorted() }
    }

    /// All label names in use, sorted.
    public func labelNames() -> [String] {
        state.withLock { state in Array(state.postings.byLabel.keys).sorted() }
    }

    /// Drops samples older than `mint` (retention) and series left without samples.
    public func truncate(before mint: Int64) {
        state.withLock { state in
            var removed: [MemSeries] = []
            for case let series? in state.series {
                series.truncate(before: mint)
                if series.isEmpty { removed.append(series) }
            }
            guard !removed.isEmpty else { return }
            let refs = Set(removed.map(\.ref))
            var touched: Set<Label> = []
            for series in removed {
                state.series[series.ref] = nil
                state.refsByLabels[series.labels] = nil
                touched.formUnion(series.labels)
            }
            for label in touched { state.postings.remove(refs, name: label.name, value: label.value) }
            state.liveCount -= removed.count
        }
    }

    /// Every series with its ref and all its chunks, for a snapshot; cuts the WAL in the same
    /// critical section and returns the first segment the snapshot does not cover.
    func snapshotSeries() -> (series: [(ref: SeriesRef, labels: Labels, chunks: [XORChunk])], walSegment: Int) {
        state.withLock { state in
            let series = state.series.compactMap { series in
                series.map { ($0.ref, $0.labels, $0.chunks(overlapping: .min, .max)) }
            }
            return (series, state.wal?.cut() ?? 0)
        }
    }

    /// Adds a series from a snapshot at its ref: all chunks but the last stay closed, the last reopens.
    func restore(ref: SeriesRef, _ labels: Labels, chunks: [XORChunk]) {
        guard !labels.isEmpty, !chunks.isEmpty, ref >= 0 else { return }
        var openSamples: [(t: Int64, v: Double)] = []
        if let last = chunks.last {
            var iterator = last.makeIterator()
            while let sample = iterator.next() { openSamples.append(sample) }
        }
        state.withLock { state in
            guard state.refsByLabels[labels] == nil else { return }
            // A damaged file could repeat a ref; the series then takes a fresh one.
            let free = ref >= state.series.count || state.series[ref] == nil
            let series = MemSeries(ref: free ? ref : state.series.count, labels: labels)
            series.restore(closed: Array(chunks.dropLast()), open: openSamples)
            Head.add(series, to: &state)
        }
    }

    /// Counts for monitoring and benchmarks.
    public var stats: HeadStats {
        state.withLock { state in
            var stats = HeadStats(series: state.liveCount, samples: 0, chunkBytes: 0)
            for case let series? in state.series {
                stats.samples += series.sampleCount
                stats.chunkBytes += series.byteCount
            }
            return stats
        }
    }
}

public struct HeadStats: Sendable, Equatable {
    public var series: Int
    public var samples: Int
    public var chunkBytes: Int
}
