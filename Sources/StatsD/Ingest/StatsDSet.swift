import OutpostCore
import OutpostMetrics
import Synchronization

/// A StatsD set: how many distinct values one series received in the current window,
/// exposed as a gauge. Windows are aligned to multiples of their length, so all sets
/// restart together; a window with no values reads 0.
final class StatsDSet: MetricChild {
    static let type = MetricType.gauge

    private struct State {
        var members: Set<UInt64> = []
        var windowStart: UnixMillis = 0
    }

    private let windowMillis: Int64
    private let clock: any WallClock
    private let state = Mutex(State())
    private let stamp = Atomic<Int64>(0)

    init(window: Duration, clock: any WallClock) {
        windowMillis = max(1, window.milliseconds)
        self.clock = clock
    }

    /// Adds a member, identified by the hash of its bytes.
    func insert(_ member: UInt64, now: UnixMillis) {
        let start = now - now % windowMillis
        state.withLock { state in
            if state.windowStart != start {
                state.members.removeAll(keepingCapacity: true)
                state.windowStart = start
            }
            state.members.insert(member)
        }
    }

    var count: Int {
        let now = clock.now()
        let start = now - now % windowMillis
        return state.withLock { $0.windowStart == start ? $0.members.count : 0 }
    }

    func read(into scratch: inout HistogramSample) -> MetricValue { .scalar(Double(count)) }
    func touch(at now: UnixMillis) { stamp.store(now, ordering: .relaxed) }
    var lastUpdate: UnixMillis { stamp.load(ordering: .relaxed) }
}
