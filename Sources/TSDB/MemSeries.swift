import OutpostCore

/// One series in the head: its labels and its samples in closed chunks plus an open one.
/// Only touched under the head's lock.
final class MemSeries {
    static let samplesPerChunk = 120

    let ref: SeriesRef
    let labels: Labels
    private(set) var closed: [XORChunk] = []
    private(set) var open = XORChunk()

    init(ref: SeriesRef, labels: Labels) {
        self.ref = ref
        self.labels = labels
    }

    var isEmpty: Bool { closed.isEmpty && open.count == 0 }
    var lastTime: Int64? { open.count > 0 ? open.maxTime : closed.last?.maxTime }
    var sampleCount: Int { closed.reduce(open.count) { $0 + $1.count } }
    var byteCount: Int { closed.reduce(open.byteCount) { $0 + $1.byteCount } }

    /// Restores chunks from a snapshot; the open chunk is re-encoded so appends can continue.
    func restore(closed: [XORChunk], open openSamples: [(t: Int64, v: Double)]) {
        self.closed = closed
        open = XORChunk()
        for sample in openSamples { open.append(sample.t, sample.v) }
    }

    func append(_ t: Int64, _ v: Double) throws(AppendError) {
        if let last = lastTime, t <= last {
            throw t == last ? .duplicateTimestamp : .outOfOrder
        }
        if open.count >= MemSeries.samplesPerChunk {
            // Appends grow the buffer by doubling; a closed chunk keeps only what it uses.
            closed.append(open.closed())
            open = XORChunk()
        }
        open.append(t, v)
    }

    /// Drops chunks that end before `mint`; an open chunk entirely before `mint` is dropped too.
    func truncate(before mint: Int64) {
        closed.removeAll { $0.maxTime < mint }
        if open.count > 0, open.maxTime < mint, closed.isEmpty { open = XORChunk() }
    }

    /// The chunks overlapping [mint, maxt], copied (cheaply, copy-on-write) for reading outside the lock.
    func chunks(overlapping mint: Int64, _ maxt: Int64) -> [XORChunk] {
        var result = closed.filter { $0.maxTime >= mint && $0.minTime <= maxt }
        if open.count > 0, open.maxTime >= mint, open.minTime <= maxt { result.append(open) }
        return result
    }
}

/// Why an append was rejected.
public enum AppendError: Error, Sendable, Equatable {
    case outOfOrder
    case duplicateTimestamp
    case unknownSeries
}
