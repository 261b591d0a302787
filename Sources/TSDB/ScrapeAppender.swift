import OutpostCore
import Synchronization

/// Writes successive snapshots of one source (the registry, a probe target) into a head and
/// marks series stale when they stop appearing, as Prometheus does after a scrape.
///
/// One appender per source; `append(_:at:)` replaces the source's previous set of series and is
/// one commit of the head's write-ahead log.
public final class ScrapeAppender: Sendable {
    private let head: Head
    private let previous = Mutex<[Labels: SeriesRef]>([:])

    public init(head: Head) { self.head = head }

    /// Appends every sample at `t`, then a staleness marker at `t` for each series of the previous
    /// call that is missing now. Returns how many samples the head rejected (out of order).
    @discardableResult
    public func append(_ samples: [(labels: Labels, value: Double)], at t: Int64) -> Int {
        previous.withLock { previous in
            var rejected = 0
            var current: [Labels: SeriesRef] = [:]
            current.reserveCapacity(samples.count)
            for sample in samples {
                do {
                    if let ref = previous[sample.labels] {
                        try head.append(ref: ref, t, sample.value)
                        current[sample.labels] = ref
                    } else {
                        current[sample.labels] = try head.append(sample.labels, t, sample.value)
                    }
                } catch {
                    // The series is still present, only this sample was refused.
                    current[sample.labels] = previous[sample.labels]
                    rejected += 1
                }
            }
            for (labels, ref) in previous where current[labels] == nil {
                // A ref can vanish when retention dropped the series; then there is nothing to mark.
                try? head.append(ref: ref, t, StaleMarker.value)
            }
            previous = current
            head.commit()
            return rejected
        }
    }

    /// Marks every series of the last snapshot stale, for a source that goes away (shutdown, removed target).
    public func markAllStale(at t: Int64) {
        previous.withLock { previous in
            for ref in previous.values { try? head.append(ref: ref, t, StaleMarker.value) }
            previous = [:]
            head.commit()
        }
    }
}
