import OutpostCore

/// What happens to saved alerts when Outpost starts again after being down.
///
/// Prometheus restores only `for` progress of long rules and forgets `keep_firing_for`
/// (its issues 15175 and 13957). Outpost restores everything it saved, with two knobs named
/// after Prometheus's flags:
/// - `outageTolerance`: after a longer downtime pending alerts start over (firing and resolved
///   ones are still restored, so receivers get a proper resolve rather than silence);
/// - `gracePeriod`: a restored pending alert fires no sooner than this after the start
///   (default 0: the progress made before the outage counts in full).
/// The downtime itself never counts towards `for`: nobody evaluated the rule then.
public struct AlertRestorePolicy: Sendable, Equatable {
    public var outageTolerance: Int64
    public var gracePeriod: Int64

    public init(outageTolerance: Int64 = 3_600_000, gracePeriod: Int64 = 0) {
        self.outageTolerance = outageTolerance
        self.gracePeriod = gracePeriod
    }

    /// The records to restore into a group whose alerts were saved at `savedAt`, at start time `now`.
    /// `holdDuration` gives each record's rule `for` (nil when the rule is gone).
    public func adjust(_ records: [AlertRecord], savedAt: UnixMillis, now: UnixMillis,
                       holdDuration: (AlertRecord) -> Int64?) -> [AlertRecord] {
        let downtime = max(0, now - savedAt)
        return records.compactMap { record in
            guard record.state == .pending else { return record }
            guard downtime <= outageTolerance, let hold = holdDuration(record) else { return nil }
            var restored = record
            let spent = max(0, savedAt - record.activeAt)
            let remaining = max(hold - spent, min(gracePeriod, hold))
            restored.activeAt = now - (hold - remaining)
            return restored
        }
    }
}
