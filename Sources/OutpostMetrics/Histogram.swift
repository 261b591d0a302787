import OutpostCore
import Synchronization

/// Observations counted into classic buckets, as Prometheus client libraries do.
public final class Histogram: MetricChild {
    public static let type = MetricType.histogram
    /// Prometheus client_golang's default buckets.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct State {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    /// Sorted upper bounds, the last being `+Inf`.
    public let upperBounds: [Double]
    private let state: Mutex<State>
    private let stamp = Atomic<Int64>(0)

    /// `buckets` are upper bounds; they are sorted, deduplicated and given a final `+Inf`.
    public convenience init(buckets: [Double] = Histogram.defaultBuckets) {
        self.init(upperBounds: Self.normalized(buckets))
    }

    /// Bounds already normalized. A family passes the same array to all its series, so the
    /// encoder recognises their shared layout by identity instead of comparing bounds.
    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        state = Mutex(State(counts: Array(repeating: 0, count: upperBounds.count)))
    }

    static func normalized(_ buckets: [Double]) -> [Double] {
        var bounds = Array(Set(buckets.filter { !$0.isNaN })).sorted()
        if bounds.last != .infinity { bounds.append(.infinity) }
        return bounds
    }

    /// Records `value` `weight` times (StatsD sample rates repeat an observation).
    public func observe(_ value: Double, weight: UInt64 = 1) {
        var low = 0
        var high = upperBounds.count - 1
        while low < high {
            let mid = (low + high) / 2
            if value <= upperBounds[mid] { high = mid } else { low = mid + 1 }
        }
        let bucket = low
        state.withLock { state in
            state.counts[bucket] &+= weight
            state.sum += value * Double(weight)
            state.count &+= weight
        }
    }

    public func read(into scratch: inout HistogramSample) -> MetricValue {
        scratch.upperBounds = upperBounds
        if scratch.cumulativeCounts.count != upperBounds.count {
            scratch.cumulativeCounts = Array(repeating: 0, count: upperBounds.count)
        }
        state.withLock { state in
            var running: UInt64 = 0
            for index in 0..<state.counts.count {
                running &+= state.counts[index]
                scratch.cumulativeCounts[index] = running
            }
            scratch.sum = state.sum
            scratch.count = state.count
        }
        return .histogram(scratch)
    }

    public var sample: HistogramSample {
        var scratch = HistogramSample(upperBounds: [], cumulativeCounts: [], sum: 0, count: 0)
        _ = read(into: &scratch)
        return scratch
    }

    public func touch(at now: UnixMillis) { stamp.store(now, ordering: .relaxed) }
    public var lastUpdate: UnixMillis { stamp.load(ordering: .relaxed) }
}
