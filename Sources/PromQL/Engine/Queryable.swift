import OutpostCore
import TSDB

/// Samples of one stored series in a time range, oldest first, stale markers included.
public struct StoredSeries: Sendable {
    public var labels: Labels
    public var timestamps: [Int64]
    public var values: [Double]

    public init(labels: Labels, timestamps: [Int64], values: [Double]) {
        self.labels = labels
        self.timestamps = timestamps
        self.values = values
    }
}

/// Where the engine reads series from; the TSDB head is one, tests and remote stores may add others.
public protocol Queryable: Sendable {
    func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [StoredSeries]
}

extension Head: Queryable {
    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [StoredSeries] {
        let found: [QueriedSeries] = select(matchers, mint: mint, maxt: maxt)
        return found.map { series in
            var stored = StoredSeries(labels: series.labels, timestamps: [], values: [])
            stored.timestamps.reserveCapacity(series.chunkSampleCount)
            stored.values.reserveCapacity(series.chunkSampleCount)
            for sample in series.samples() {
                stored.timestamps.append(sample.t)
                stored.values.append(sample.v)
            }
            return stored
        }
    }
}
