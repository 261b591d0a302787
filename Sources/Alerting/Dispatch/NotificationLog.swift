import OutpostCore

/// What was last notified for each group and integration, which decides whether a flush
/// sends anything (Alertmanager's nflog and dedup stage).
struct NotificationLog: Sendable {
    struct Key: Hashable, Sendable {
        var receiver: String
        var integration: String
        var index: Int
        var groupKey: String
    }

    struct Entry: Sendable, Equatable {
        var firing: Set<Fingerprint>
        var resolved: Set<Fingerprint>
        var timestamp: UnixMillis
        var expiresAt: UnixMillis
    }

    private(set) var entries: [Key: Entry] = [:]

    init(_ entries: [Key: Entry] = [:]) {
        self.entries = entries
    }

    /// Alertmanager's dedup decision for a flush with these firing and resolved alerts.
    func needsUpdate(_ key: Key, firing: Set<Fingerprint>, resolved: Set<Fingerprint>, sendResolved: Bool,
                     repeatInterval: Duration, now: UnixMillis) -> Bool {
        guard let entry = entries[key], entry.expiresAt > now else {
            // Never notified: only firing alerts are worth a message.
            return !firing.isEmpty
        }
        if !firing.isSubset(of: entry.firing) { return true }
        if firing.isEmpty {
            // Everything resolved: tell the receiver only if it had heard of firing alerts; this
            // also clears the log when send_resolved is off.
            return !entry.firing.isEmpty
        }
        if sendResolved && !resolved.isSubset(of: entry.resolved) { return true }
        // Alertmanager compares strictly, but its timers always fire a little late; with exact
        // clock ticks `<=` gives the repeat at the same flush Alertmanager sends it.
        return entry.timestamp <= now - repeatInterval.milliseconds
    }

    mutating func record(_ key: Key, _ entry: Entry) {
        entries[key] = entry
    }

    mutating func collectGarbage(now: UnixMillis) -> [Key] {
        let expired = entries.filter { $0.value.expiresAt <= now }.map(\.key)
        for key in expired { entries[key] = nil }
        return expired
    }
}
