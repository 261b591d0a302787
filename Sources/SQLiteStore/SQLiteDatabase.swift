import CSQLite

/// A thin wrapper over one SQLite connection, used from a single actor or behind a lock:
/// the connection is opened without SQLite's own mutex.
public final class SQLiteDatabase {
    private var handle: OpaquePointer?

    public init(path: String) throws(StorageError) {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            handle = nil
            throw StorageError("cannot open \(path): \(message)")
        }
        sqlite3_busy_timeout(handle, 5000)
        // WAL with NORMAL sync survives a process crash without an fsync per notification.
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=NORMAL")
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    public func execute(_ sql: String) throws(StorageError) {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw StorageError("\(message) in: \(sql)")
        }
    }

    /// Runs `body` in a transaction, rolled back if it throws.
    public func transaction<T>(_ body: () throws(StorageError) -> T) throws(StorageError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs a statement with `parameters`, calling `row` for each result row.
    public func run(_ sql: String, _ parameters: [SQLiteValue] = [], row: ((SQLiteRow) -> Void)? = nil) throws(StorageError) {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw lastError(sql) }
        defer { sqlite3_finalize(statement) }
        for (index, parameter) in parameters.enumerated() {
            let position = Int32(index + 1)
            switch parameter {
            case .integer(let value): sqlite3_bind_int64(statement, position, value)
            case .text(let value): sqlite3_bind_text(statement, position, value, -1, sqliteTransient)
            case .blob(let value):
                _ = value.withUnsafeBytes { sqlite3_bind_blob(statement, position, $0.baseAddress, Int32($0.count), sqliteTransient) }
            }
        }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw lastError(sql) }
            row?(SQLiteRow(statement: statement))
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    private func lastError(_ sql: String) -> StorageError {
        StorageError("\(String(cString: sqlite3_errmsg(handle))) in: \(sql)")
    }
}

public enum SQLiteValue {
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}

/// One result row, valid only inside the `row` callback.
public struct SQLiteRow {
    let statement: OpaquePointer?

    public func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    public func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: pointer)
    }

    public func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// SQLite copies bound values when given this destructor.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

public struct StorageError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "storage: \(message)" }
}
