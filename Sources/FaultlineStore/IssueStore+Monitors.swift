import FaultlineCore
import Foundation
import GRDB

/// Monitors: create, read, change and delete. Every change moves `monitor_revision`, so ingest's cached
/// list (``MonitorCache``) is refreshed by the next transaction in every process.
extension IssueStore {
    /// Stores a new monitor (its `id`, `createdAt` and `updatedAt` are assigned) and returns it.
    public func createMonitor(_ monitor: Monitor, now: Date = Date()) async throws -> Monitor {
        try requireWritable("createMonitor")
        return try await perform("createMonitor") { pool in
            try await pool.write { db in
                var arguments = MonitorRow.values(monitor)
                arguments += [StoreTime.millis(now), StoreTime.millis(now)]
                try db.execute(
                    sql: "INSERT INTO monitor (\(MonitorRow.insertColumns)) VALUES (\(databaseQuestionMarks(count: 16)))",
                    arguments: arguments)
                let id = db.lastInsertedRowID
                try MonitorRow.bumpRevision(db)
                return try Self.fetchMonitor(db, id: id, operation: "createMonitor") ?? monitor
            }
        }
    }

    /// Every monitor, oldest first.
    public func monitors() async throws -> [Monitor] {
        try await perform("monitors") { pool in
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT \(MonitorRow.columns) FROM monitor ORDER BY id").map { try MonitorRow.decode($0, operation: "monitors") }
            }
        }
    }

    public func monitor(id: Int64) async throws -> Monitor? {
        try await perform("monitor") { pool in
            try await pool.read { db in try Self.fetchMonitor(db, id: id, operation: "monitor") }
        }
    }

    /// Replaces a monitor's settings with `monitor`'s (matched by id); nil when there is no such monitor.
    /// Changing the channel clears a 410 disablement.
    public func updateMonitor(_ monitor: Monitor, now: Date = Date()) async throws -> Monitor? {
        try requireWritable("updateMonitor")
        let id = monitor.id
        return try await perform("updateMonitor") { pool in
            try await pool.write { db -> Monitor? in
                guard let before = try Self.fetchMonitor(db, id: id, operation: "updateMonitor") else { return nil }
                var monitor = monitor
                if monitor.channel != before.channel {
                    monitor.disabledAt = nil
                    monitor.disabledReason = nil
                }
                var arguments = MonitorRow.values(monitor)
                arguments += [StoreTime.millis(now), id]
                try db.execute(
                    sql: """
                        UPDATE monitor SET name = ?, kind = ?, query = ?, threshold_count = ?, threshold_window = ?,
                            threshold_per = ?, channel_type = ?, channel_url = ?, channel_secret = ?, routing_key = ?,
                            renotify = ?, muted_until = ?, disabled_at = ?, disabled_reason = ?, updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: arguments)
                if monitor.kind != before.kind || monitor.threshold != before.threshold {
                    try db.execute(sql: "DELETE FROM monitor_issue_state WHERE monitor_id = ? AND triggered = 0", arguments: [id])
                }
                try MonitorRow.bumpRevision(db)
                return try Self.fetchMonitor(db, id: id, operation: "updateMonitor")
            }
        }
    }

    /// Deletes a monitor with its state and pending notifications (the delivery log stays until retention);
    /// false when there was none.
    public func deleteMonitor(id: Int64) async throws -> Bool {
        try requireWritable("deleteMonitor")
        return try await perform("deleteMonitor") { pool in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM monitor WHERE id = ?", arguments: [id])
                guard db.changesCount > 0 else { return false }
                try db.execute(sql: "DELETE FROM monitor_issue_state WHERE monitor_id = ?", arguments: [id])
                try db.execute(sql: "UPDATE outbox SET state = 'failed', lease_owner = NULL, lease_until = NULL WHERE monitor_id = ? AND state = 'pending'", arguments: [id])
                if try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM monitor WHERE kind = 'threshold')") ?? false) {
                    try db.execute(sql: "DELETE FROM issue_minute")
                }
                try MonitorRow.bumpRevision(db)
                return true
            }
        }
    }

    static func fetchMonitor(_ db: Database, id: Int64, operation: String) throws -> Monitor? {
        try Row.fetchOne(db, sql: "SELECT \(MonitorRow.columns) FROM monitor WHERE id = ?", arguments: [id]).map { try MonitorRow.decode($0, operation: operation) }
    }
}
