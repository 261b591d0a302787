import Foundation
import OutpostCore

/// The head's write-ahead log: attached after a restore, fed by every accepted append, written
/// out per commit and fsynced on a period.
extension Head {
    /// Starts logging appends to a new segment in `directory`. Attach after restoring the
    /// snapshot and replaying the WAL (neither is logged again); `LocalStorageService` does this.
    public func attachWAL(directory: URL, segmentSize: Int = 16 * 1024 * 1024) throws {
        try state.withLock { (state) throws in
            state.wal = try WALWriter(directory: directory, segmentSize: segmentSize)
        }
    }

    /// Ends an append commit: the samples appended since the last commit become one WAL record,
    /// handed to the kernel with one write, so they survive the process being killed.
    public func commit() {
        state.withLock { $0.wal?.flush() }
    }

    /// Commits and fsyncs the WAL segment; the fsync runs outside the head's lock.
    public func syncWAL() {
        guard let descriptor = state.withLock({ $0.wal?.syncDescriptor() }) else { return }
        let success = fsync(descriptor) == 0
        close(descriptor)
        state.withLock { $0.wal?.recordSync(success: success) }
    }

    /// The WAL writer's counters; nil without a WAL.
    public var walStats: WALStats? {
        state.withLock { $0.wal?.stats }
    }

    /// Creates an empty series for a WAL series record at its ref, or finds the series these
    /// labels already have (restored from the snapshot); returns the ref to append to.
    func replaySeries(ref: SeriesRef, labels: Labels) -> SeriesRef {
        state.withLock { state in
            if let existing = state.refsByLabels[labels] { return existing }
            let free = ref >= state.series.count || state.series[ref] == nil
            let series = MemSeries(ref: free ? ref : state.series.count, labels: labels)
            Head.add(series, to: &state)
            return series.ref
        }
    }

    /// Keeps refs up to `ref` from being handed out again, so a ref seen in the WAL never names
    /// another series later.
    func reserveRefs(through ref: SeriesRef) {
        state.withLock { state in
            while state.series.count <= ref { state.series.append(nil) }
        }
    }
}
