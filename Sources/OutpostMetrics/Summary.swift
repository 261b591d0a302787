import OutpostCore
import Synchronization

/// Observations summarised as quantiles over a sliding window, plus sum and count since start.
///
/// Like Prometheus client libraries, the window is `maxAge` split into `ageBuckets` streams
/// that each see every observation; the oldest is reset and reused as time moves on.
public final class Summary: MetricChild {
    public static let type = MetricType.summary
    public static let defaultObjectives: [(quantile: Double, error: Double)] = [(0.5, 0.05), (0.9, 0.01), (0.99, 0.001)]

    private struct State {
        var streams: [QuantileStream]
        var head = 0
        var headExpires: UnixMillis
        var sum: Double = 0
        var count: UInt64 = 0
        /// The head stream's quantiles as last computed, one per objective. Reads reuse them
        /// until an observation or a rotation changes the head, so scraping an idle summary
        /// neither queries its stream nor allocates.
        var quantiles: [SummarySample.Quantile]
        var quantilesAreCurrent = false
    }

    public let objectives: [(quantile: Double, error: Double)]
    private let bucketMillis: Int64
    private let clock: any WallClock
    private let state: Mutex<State>
    private let stamp = Atomic<Int64>(0)

    public init(objectives: [(quantile: Double, error: Double)] = Summary.defaultObjectives,
                maxAge: Duration = .seconds(600), ageBuckets: Int = 5, clock: any WallClock = SystemClock()) {
        self.objectives = objectives.sorted { $0.quantile < $1.quantile }
        let buckets = max(1, ageBuckets)
        bucketMillis = max(1, maxAge.milliseconds / Int64(buckets))
        self.clock = clock
        let targets = objectives.map { QuantileStream.Target(quantile: $0.quantile, error: $0.error) }
        state = Mutex(State(streams: Array(repeating: QuantileStream(targets: targets), count: buckets),
                            headExpires: clock.now() + bucketMillis,
                            quantiles: self.objectives.map { SummarySample.Quantile(quantile: $0.quantile, value: .nan) }))
    }

    public func observe(_ value: Double, weight: UInt64 = 1) {
        let now = clock.now()
        state.withLock { state in
            rotate(&state, now: now)
            for index in state.streams.indices {
                for _ in 0..<weight { state.streams[index].insert(value) }
            }
            state.sum += value * Double(weight)
            state.count &+= weight
            state.quantilesAreCurrent = false
        }
    }

    public func read(into scratch: inout HistogramSample) -> MetricValue { .summary(sample) }

    public var sample: SummarySample {
        let now = clock.now()
        return state.withLock { state in
            rotate(&state, now: now)
            if !state.quantilesAreCurrent {
                for index in state.quantiles.indices {
                    state.quantiles[index].value = state.streams[state.head].query(state.quantiles[index].quantile)
                }
                state.quantilesAreCurrent = true
            }
            return SummarySample(quantiles: state.quantiles, sum: state.sum, count: state.count)
        }
    }

    /// Resets the stream whose window has passed and makes the next one the head.
    private func rotate(_ state: inout State, now: UnixMillis) {
        while now >= state.headExpires {
            state.quantilesAreCurrent = false
            state.streams[state.head].reset()
            state.head = (state.head + 1) % state.streams.count
            state.headExpires += bucketMillis
            if now - state.headExpires > bucketMillis * Int64(state.streams.count) {
                for index in state.streams.indices { state.streams[index].reset() }
                state.headExpires = now + bucketMillis
            }
        }
    }

    public func touch(at now: UnixMillis) { stamp.store(now, ordering: .relaxed) }
    public var lastUpdate: UnixMillis { stamp.load(ordering: .relaxed) }
}
