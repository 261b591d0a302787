import Foundation
import OutpostCore

/// The silences, in memory; `AlertingService` persists every change.
struct SilenceStore: Sendable {
    /// Expired silences are kept this long, as Alertmanager's default retention.
    static let retention: Int64 = 120 * 3_600_000

    private(set) var silences: [String: Silence] = [:]

    init(_ silences: [Silence] = []) {
        for silence in silences { self.silences[silence.id] = silence }
    }

    /// Creates or updates a silence and returns it with its ID. As in Alertmanager, changing an
    /// active silence's matchers or start creates a new silence and expires the old one.
    mutating func upsert(_ silence: Silence, now: UnixMillis) throws(SilenceError) -> (saved: Silence, expired: Silence?) {
        try silence.validate()
        var saved = silence
        saved.updatedAt = now
        guard !silence.id.isEmpty else {
            guard silence.endsAt > now else { throw .invalid("end time can't be in the past") }
            saved.id = UUID().uuidString.lowercased()
            silences[saved.id] = saved
            return (saved, nil)
        }
        guard let existing = silences[silence.id] else { throw .notFound(silence.id) }
        if existing.state(at: now) == .expired { throw .alreadyExpired(silence.id) }
        let canUpdateInPlace = existing.state(at: now) == .pending
            || (existing.matchers == silence.matchers && existing.startsAt == silence.startsAt)
        if canUpdateInPlace {
            silences[saved.id] = saved
            return (saved, nil)
        }
        let expired = try expire(silence.id, now: now)
        saved.id = UUID().uuidString.lowercased()
        silences[saved.id] = saved
        return (saved, expired)
    }

    /// Ends a silence now; a pending one ends before it starts.
    mutating func expire(_ id: String, now: UnixMillis) throws(SilenceError) -> Silence {
        guard var silence = silences[id] else { throw .notFound(id) }
        switch silence.state(at: now) {
        case .expired: throw .alreadyExpired(id)
        case .pending:
            silence.startsAt = now
            silence.endsAt = now
        case .active:
            silence.endsAt = now
        }
        silence.updatedAt = now
        silences[id] = silence
        return silence
    }

    /// The IDs of the active silences muting `labels`.
    func silencing(_ labels: Labels, now: UnixMillis) -> [String] {
        silences.values.filter { $0.mutes(labels, now: now) }.map(\.id).sorted()
    }

    /// Drops silences expired longer than the retention; returns their IDs.
    mutating func collectGarbage(now: UnixMillis) -> [String] {
        let old = silences.values.filter { $0.endsAt + Self.retention < now }.map(\.id)
        for id in old { silences[id] = nil }
        return old
    }
}
