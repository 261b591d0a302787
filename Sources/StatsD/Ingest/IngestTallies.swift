/// What one worker counted since its last flush; added to the shared counters once per
/// batch so the hot path touches no shared memory for bookkeeping.
struct IngestTallies {
    var packets = 0
    var lines = 0
    var samples = 0
    var tags = 0
    var tagErrors = 0
    var unmapped = 0
    var seriesDropped = 0
    var events = [Int](repeating: 0, count: EventType.allCases.count)
    var conflicts = [Int](repeating: 0, count: EventType.allCases.count)
    var errors = [Int](repeating: 0, count: SampleError.allCases.count)

    var isEmpty: Bool { packets == 0 && lines == 0 && samples == 0 }

    mutating func reset() {
        packets = 0
        lines = 0
        samples = 0
        tags = 0
        tagErrors = 0
        unmapped = 0
        seriesDropped = 0
        for index in events.indices {
            events[index] = 0
            conflicts[index] = 0
        }
        for index in errors.indices { errors[index] = 0 }
    }
}
