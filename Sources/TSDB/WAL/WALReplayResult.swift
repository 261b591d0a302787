/// What a replay read: segments, records, series and samples, samples it skipped, damage found.
public struct WALReplayResult: Sendable {
    public var segments = 0
    public var records = 0
    public var series = 0
    public var samples = 0
    public var skippedSamples = 0
    /// One description per damaged segment: file, byte offset and what was wrong.
    public var corruptions: [String] = []
    public var duration: Duration = .zero
}
