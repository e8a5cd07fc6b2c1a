import Foundation
import GRDB
import GRDBSQLite

/// Binds the parameters of a prepared statement through SQLite's C API. The ingest transaction runs a handful of
/// statements per event; GRDB's `StatementArguments` box every value in an existential array, which cost about a
/// tenth of the ingest profile.
struct RawBinder {
    fileprivate let handle: OpaquePointer
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Bool) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        _ = value.withUTF8 { utf8 in
            // SQLite takes a null pointer for NULL: an empty string needs an address.
            if let base = utf8.baseAddress {
                sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(utf8.count), Self.transient)
            } else {
                sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    func bind(_ index: Int32, _ value: Data) {
        _ = value.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress {
                sqlite3_bind_blob(handle, index, base, Int32(bytes.count), Self.transient)
            } else {
                sqlite3_bind_zeroblob(handle, index, 0)
            }
        }
    }
}

/// The columns of the current row of a raw step.
struct RawRow {
    fileprivate let handle: OpaquePointer

    func int(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    func optionalInt(_ index: Int32) -> Int64? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
    }

    func string(_ index: Int32) -> String? {
        guard sqlite3_column_type(handle, index) != SQLITE_NULL, let text = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }
}

extension Statement {
    /// Runs the statement (which returns no rows, or whose rows are ignored) with parameters bound by `bind`.
    func executeRaw(_ db: Database, _ bind: (RawBinder) -> Void) throws {
        let handle = try begin(bind)
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        try finish(handle, code, db)
    }

    /// Runs the statement and hands its first row, if any, to `read`.
    func fetchFirstRaw<T>(_ db: Database, _ bind: (RawBinder) -> Void, _ read: (RawRow) throws -> T) throws -> T? {
        let handle = try begin(bind)
        let code = sqlite3_step(handle)
        var result: T?
        if code == SQLITE_ROW {
            do {
                result = try read(RawRow(handle: handle))
            } catch {
                sqlite3_reset(handle)
                throw error
            }
            try finish(handle, SQLITE_DONE, db)
        } else {
            try finish(handle, code, db)
        }
        return result
    }

    private func begin(_ bind: (RawBinder) -> Void) throws -> OpaquePointer {
        let handle = sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        bind(RawBinder(handle: handle))
        return handle
    }

    private func finish(_ handle: OpaquePointer, _ code: Int32, _ db: Database) throws {
        guard code == SQLITE_DONE else {
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
        sqlite3_reset(handle)
    }
}
