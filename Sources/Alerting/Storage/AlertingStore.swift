import OutpostCore
import SQLiteStore

/// What the router keeps on disk: the outbox of notifications not yet delivered, the
/// notification log and the silences, in one SQLite file.
final class AlertingStore {
    private let database: SQLiteDatabase

    init(path: String) throws(StorageError) {
        database = try SQLiteDatabase(path: path)
        try database.execute("""
            CREATE TABLE IF NOT EXISTS outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT, receiver TEXT NOT NULL, integration TEXT NOT NULL,
                idx INTEGER NOT NULL, group_key TEXT NOT NULL, body BLOB NOT NULL, created_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS nflog (
                receiver TEXT NOT NULL, integration TEXT NOT NULL, idx INTEGER NOT NULL, group_key TEXT NOT NULL,
                firing TEXT NOT NULL, resolved TEXT NOT NULL, timestamp INTEGER NOT NULL, expires_at INTEGER NOT NULL,
                PRIMARY KEY (receiver, integration, idx, group_key));
            CREATE TABLE IF NOT EXISTS silences (
                id TEXT PRIMARY KEY, matchers TEXT NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL,
                created_by TEXT NOT NULL, comment TEXT NOT NULL, updated_at INTEGER NOT NULL);
            """)
    }

    // MARK: Outbox

    /// Queues a message and records it in the notification log in one transaction, so a crash
    /// leaves either both or neither.
    func enqueue(_ message: OutboxMessage, log: (key: NotificationLog.Key, entry: NotificationLog.Entry)? = nil) throws(StorageError) -> Int64 {
        try database.transaction { () throws(StorageError) -> Int64 in
            try database.run("""
                INSERT INTO outbox (receiver, integration, idx, group_key, body, created_at, attempts, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?)
                """, [.text(message.receiver), .text(message.integration), .integer(Int64(message.index)), .text(message.groupKey),
                      .blob(message.body), .integer(message.createdAt), .integer(message.nextAttemptAt)])
            let id = database.lastInsertRowID
            if let log { try saveLog(log.key, log.entry) }
            return id
        }
    }

    func pendingMessages() throws(StorageError) -> [OutboxMessage] {
        var messages: [OutboxMessage] = []
        try database.run("SELECT id, receiver, integration, idx, group_key, body, created_at, attempts, next_attempt_at FROM outbox ORDER BY id") { row in
            messages.append(OutboxMessage(id: row.integer(0), receiver: row.text(1), integration: row.text(2), index: Int(row.integer(3)),
                                          groupKey: row.text(4), body: row.blob(5), createdAt: row.integer(6),
                                          attempts: Int(row.integer(7)), nextAttemptAt: row.integer(8)))
        }
        return messages
    }

    func deleteMessage(_ id: Int64) throws(StorageError) {
        try database.run("DELETE FROM outbox WHERE id = ?", [.integer(id)])
    }

    func reschedule(_ id: Int64, attempts: Int, nextAttemptAt: UnixMillis) throws(StorageError) {
        try database.run("UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?",
                         [.integer(Int64(attempts)), .integer(nextAttemptAt), .integer(id)])
    }

    // MARK: Notification log

    func saveLog(_ key: NotificationLog.Key, _ entry: NotificationLog.Entry) throws(StorageError) {
        try database.run("""
            INSERT OR REPLACE INTO nflog (receiver, integration, idx, group_key, firing, resolved, timestamp, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(key.receiver), .text(key.integration), .integer(Int64(key.index)), .text(key.groupKey),
                  .text(Self.encode(entry.firing)), .text(Self.encode(entry.resolved)), .integer(entry.timestamp), .integer(entry.expiresAt)])
    }

    func loadLog() throws(StorageError) -> [NotificationLog.Key: NotificationLog.Entry] {
        var entries: [NotificationLog.Key: NotificationLog.Entry] = [:]
        try database.run("SELECT receiver, integration, idx, group_key, firing, resolved, timestamp, expires_at FROM nflog") { row in
            let key = NotificationLog.Key(receiver: row.text(0), integration: row.text(1), index: Int(row.integer(2)), groupKey: row.text(3))
            entries[key] = NotificationLog.Entry(firing: Self.decode(row.text(4)), resolved: Self.decode(row.text(5)),
                                                 timestamp: row.integer(6), expiresAt: row.integer(7))
        }
        return entries
    }

    func deleteLog(expiredBefore now: UnixMillis) throws(StorageError) {
        try database.run("DELETE FROM nflog WHERE expires_at <= ?", [.integer(now)])
    }

    private static func encode(_ fingerprints: Set<Fingerprint>) -> String {
        fingerprints.map(\.description).sorted().joined(separator: ",")
    }

    private static func decode(_ text: String) -> Set<Fingerprint> {
        Set(text.split(separator: ",").compactMap { Fingerprint(hex: String($0)) })
    }

    // MARK: Silences

    func saveSilence(_ silence: Silence) throws(StorageError) {
        try database.run("""
            INSERT OR REPLACE INTO silences (id, matchers, starts_at, ends_at, created_by, comment, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(silence.id), .text(silence.matchers.matchersDescription), .integer(silence.startsAt), .integer(silence.endsAt),
                  .text(silence.createdBy), .text(silence.comment), .integer(silence.updatedAt)])
    }

    func deleteSilence(_ id: String) throws(StorageError) {
        try database.run("DELETE FROM silences WHERE id = ?", [.text(id)])
    }

    func loadSilences() throws(StorageError) -> [Silence] {
        var silences: [Silence] = []
        var broken: [String] = []
        try database.run("SELECT id, matchers, starts_at, ends_at, created_by, comment, updated_at FROM silences") { row in
            guard let matchers = try? MatcherParser.parseMatchers(row.text(1)) else {
                broken.append(row.text(0))
                return
            }
            silences.append(Silence(id: row.text(0), matchers: matchers, startsAt: row.integer(2), endsAt: row.integer(3),
                                    createdBy: row.text(4), comment: row.text(5), updatedAt: row.integer(6)))
        }
        if let id = broken.first { throw StorageError("silence \(id) has unreadable matchers") }
        return silences
    }
}

/// A notification waiting in the outbox.
struct OutboxMessage: Sendable, Equatable {
    var id: Int64 = 0
    var receiver: String
    /// `webhook` for receivers' webhooks, `alertmanager` for forwarding to external Alertmanagers.
    var integration: String
    var index: Int
    var groupKey: String
    var body: [UInt8]
    var createdAt: UnixMillis
    var attempts = 0
    var nextAttemptAt: UnixMillis
}
