import Foundation
import OutpostCore
import SQLiteStore
import Synchronization

/// Alert state of every rule group in SQLite (`rules.db` under `storage.path`), written after
/// each evaluation and read back at start, so `for` progress, firing alerts and
/// `keep_firing_for` survive a restart.
public final class RuleStateStore: Sendable {
    /// One group's alerts as last saved, with when that was.
    public struct SavedGroup: Sendable, Equatable {
        public var savedAt: UnixMillis
        public var records: [AlertRecord]

        public init(savedAt: UnixMillis, records: [AlertRecord]) {
            self.savedAt = savedAt
            self.records = records
        }
    }

    private let database: Mutex<SQLiteDatabase>

    public init(path: String) throws(StorageError) {
        let database = try SQLiteDatabase(path: path)
        try database.execute("""
            CREATE TABLE IF NOT EXISTS rule_group_state (
                group_key TEXT PRIMARY KEY, saved_at INTEGER NOT NULL, records BLOB NOT NULL
            )
            """)
        self.database = Mutex(database)
    }

    /// Replaces the saved alerts of one group.
    public func save(groupKey: String, records: [AlertRecord], at time: UnixMillis) throws(StorageError) {
        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(records)
        } catch {
            throw StorageError("cannot encode the alerts of \(groupKey): \(error)")
        }
        try database.withLock { database throws(StorageError) in
            try database.run(
                "INSERT OR REPLACE INTO rule_group_state (group_key, saved_at, records) VALUES (?, ?, ?)",
                [.text(groupKey), .integer(time), .blob(Array(encoded))]
            )
        }
    }

    /// Every saved group by key. A row that no longer decodes is skipped and named in `unreadable`
    /// rather than failing the start.
    public func loadAll() throws(StorageError) -> (groups: [String: SavedGroup], unreadable: [String]) {
        let rows = try database.withLock { database throws(StorageError) -> [(key: String, savedAt: Int64, blob: [UInt8])] in
            var rows: [(key: String, savedAt: Int64, blob: [UInt8])] = []
            try database.run("SELECT group_key, saved_at, records FROM rule_group_state") { row in
                rows.append((row.text(0), row.integer(1), row.blob(2)))
            }
            return rows
        }
        var groups: [String: SavedGroup] = [:]
        var unreadable: [String] = []
        for row in rows {
            if let records = try? JSONDecoder().decode([AlertRecord].self, from: Data(row.blob)) {
                groups[row.key] = SavedGroup(savedAt: row.savedAt, records: records)
            } else {
                unreadable.append(row.key)
            }
        }
        return (groups, unreadable)
    }

    /// Forgets groups that are no longer loaded.
    public func remove(groupKeys: [String]) throws(StorageError) {
        guard !groupKeys.isEmpty else { return }
        try database.withLock { database throws(StorageError) in
            try database.transaction { () throws(StorageError) in
                for key in groupKeys {
                    try database.run("DELETE FROM rule_group_state WHERE group_key = ?", [.text(key)])
                }
            }
        }
    }
}
