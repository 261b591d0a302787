import OutpostCore

/// Identifies a series in one head for its lifetime.
public typealias SeriesRef = Int

/// A series as returned by a query: its labels and a snapshot of its chunks in the asked range.
public struct QueriedSeries: Sendable {
    public let labels: Labels
    let chunks: [XORChunk]
    public let mint: Int64
    public let maxt: Int64

    /// How many samples the chunks hold, an upper bound on `samples()` for reserving space.
    public var chunkSampleCount: Int { chunks.reduce(0) { $0 + $1.count } }

    /// The samples with mint <= t <= maxt, oldest first.
    public func samples() -> SampleIterator { SampleIterator(chunks: chunks, mint: mint, maxt: maxt) }
}

/// Iterates the samples of a series' chunks within a time range.
public struct SampleIterator: IteratorProtocol, Sequence, Sendable {
    private let chunks: [XORChunk]
    private let mint: Int64
    private let maxt: Int64
    private var chunkIndex = 0
    /// Reads chunk `chunkIndex`; not optional, so advancing it needs no unwrap and rewrap.
    private var current: XORChunkIterator

    init(chunks: [XORChunk], mint: Int64, maxt: Int64) {
        self.chunks = chunks
        self.mint = mint
        self.maxt = maxt
        current = chunks.first?.makeIterator() ?? XORChunk().makeIterator()
    }

    public mutating func next() -> (t: Int64, v: Double)? {
        while chunkIndex < chunks.count {
            if let sample = current.next() {
                if sample.t < mint { continue }
                if sample.t > maxt {
                    chunkIndex = chunks.count
                    return nil
                }
                return sample
            }
            chunkIndex += 1
            if chunkIndex < chunks.count { current = chunks[chunkIndex].makeIterator() }
        }
        return nil
    }
}
