import OutpostCore

/// When a group evaluates: on slots `interval` apart, shifted by an offset derived from the
/// group's file and name exactly as Prometheus derives it, so the same rule file loaded into
/// Outpost and into Prometheus evaluates at the same instants.
public struct RuleGroupSchedule: Sendable, Equatable {
    /// Milliseconds between slots.
    public let interval: Int64
    /// Nanoseconds past each interval boundary at which this group's slots lie.
    let offsetNanoseconds: Int64

    public init(file: String, name: String, interval: Int64) {
        self.interval = max(1, interval)
        let hash = Labels(["name": name, "file": file]).prometheusHash
        offsetNanoseconds = Int64(hash % UInt64(self.interval * 1_000_000))
    }

    /// The latest slot at or before `time` (ms), as Prometheus's `Group.EvalTimestamp`. Slots
    /// fall within a millisecond and are reported rounded down, so `time` stands for its whole
    /// millisecond: a slot's own time maps to that slot.
    public func slot(atOrBefore time: UnixMillis) -> UnixMillis {
        let intervalNanoseconds = interval * 1_000_000
        let adjusted = time * 1_000_000 + 999_999 - offsetNanoseconds
        let base = adjusted - floorModulo(adjusted, intervalNanoseconds)
        return floorDivide(base + offsetNanoseconds, 1_000_000)
    }

    /// The first slot after `time`.
    public func slot(after time: UnixMillis) -> UnixMillis {
        slot(atOrBefore: time) + interval
    }

    private func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }

    private func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
