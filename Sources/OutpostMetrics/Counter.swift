import OutpostCore
import Synchronization

/// Adds a float to an atomic slot holding its bit pattern.
@inline(__always)
func atomicAdd(_ slot: borrowing Atomic<UInt64>, _ delta: Double) {
    var current = slot.load(ordering: .relaxed)
    while true {
        let next = (Double(bitPattern: current) + delta).bitPattern
        let (exchanged, original) = slot.compareExchange(expected: current, desired: next, ordering: .relaxed)
        if exchanged { return }
        current = original
    }
}

/// A value that only goes up, reset only by a restart.
public final class Counter: MetricChild {
    public static let type = MetricType.counter
    private let bits = Atomic<UInt64>(0)
    private let stamp = Atomic<Int64>(0)

    public init() {}

    /// Adds `amount`; negative amounts are ignored, because a counter never decreases.
    @inline(__always)
    public func increment(by amount: Double = 1) {
        guard amount >= 0 else { return }
        atomicAdd(bits, amount)
    }

    public var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }

    public func read(into scratch: inout HistogramSample) -> MetricValue { .scalar(value) }
    public func touch(at now: UnixMillis) { stamp.store(now, ordering: .relaxed) }
    public var lastUpdate: UnixMillis { stamp.load(ordering: .relaxed) }
}

/// A value that goes up and down.
public final class Gauge: MetricChild {
    public static let type = MetricType.gauge
    private let bits = Atomic<UInt64>(0)
    private let stamp = Atomic<Int64>(0)

    public init() {}

    @inline(__always)
    public func set(_ value: Double) { bits.store(value.bitPattern, ordering: .relaxed) }

    @inline(__always)
    public func add(_ delta: Double) { atomicAdd(bits, delta) }

    public var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }

    public func read(into scratch: inout HistogramSample) -> MetricValue { .scalar(value) }
    public func touch(at now: UnixMillis) { stamp.store(now, ordering: .relaxed) }
    public var lastUpdate: UnixMillis { stamp.load(ordering: .relaxed) }
}

/// One series of a family: the shared surface of counters, gauges, histograms and summaries.
public protocol MetricChild: AnyObject, Sendable {
    static var type: MetricType { get }
    /// The current value; histograms fill `scratch` so reading many needs no new buffers.
    func read(into scratch: inout HistogramSample) -> MetricValue
    /// Records a write at `now`, keeping a series with a TTL alive.
    func touch(at now: UnixMillis)
    /// When the series was last touched.
    var lastUpdate: UnixMillis { get }
}
