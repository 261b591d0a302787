/// What one worker counted since its last flush; added to the shared counters once per
/// batch so the hot path touches no shared memory for bookkeeping. Fixed-size storage, so
/// counting needs no heap access or uniqueness checks.
struct IngestTallies {
    var packets = 0
    var lines = 0
    var samples = 0
    var tags = 0
    var tagErrors = 0
    var unmapped = 0
    var seriesDropped = 0
    /// Events a mapping's `action: drop` discarded.
    var actionDrops = 0
    /// By `EventType.rawValue`.
    var events = InlineArray<4, Int>(repeating: 0)
    var conflicts = InlineArray<4, Int>(repeating: 0)
    /// By `SampleError.rawValue`.
    var errors = InlineArray<8, Int>(repeating: 0)

    var isEmpty: Bool { packets == 0 && lines == 0 && samples == 0 }

    mutating func reset() { self = IngestTallies() }
}
