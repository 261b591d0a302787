/// Counters of the WAL writer, for metrics.
public struct WALStats: Sendable, Equatable {
    public var segment = 0
    public var bytesWritten = 0
    public var writeFailures = 0
    public var syncs = 0
    public var syncFailures = 0
}
