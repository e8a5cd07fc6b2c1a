import Foundation
import GRDB

/// The audit list (migration `v8-api-tokens`): every state change made through the API or by token commands, with its actor.
extension IssueStore {
    /// Records a change that has been made.
    public func recordAudit(actor: AuditActor, action: String, status: Int?, at date: Date = Date()) async throws {
        try requireWritable("recordAudit")
        let at = StoreTime.millis(date)
        try await perform("recordAudit") { pool in
            try await pool.write { db in
                try Self.insertAudit(db, at: at, actor: actor, action: action, status: status)
            }
        }
    }

    /// Entries newest first, `limit` at a time, older than the entry id `before`.
    public func auditEntries(limit: Int, before: Int64? = nil) async throws -> AuditPage {
        let limit = max(1, limit)
        return try await perform("auditEntries") { pool in
            try await pool.read { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT id, at, actor, action, status FROM audit_entry WHERE id < ? ORDER BY id DESC LIMIT ?",
                    arguments: [before ?? Int64.max, limit + 1])
                let entries = try rows.prefix(limit).map { row in
                    let actorText: String = row["actor"]
                    guard let actor = AuditActor(storedText: actorText) else {
                        throw StoreError(.corruptData, operation: "auditEntries", detail: "unknown actor in audit entry")
                    }
                    return AuditEntry(id: row["id"], at: StoreTime.date(millis: row["at"]), actor: actor, action: row["action"], status: row["status"])
                }
                return AuditPage(entries: entries, nextCursor: rows.count > limit ? entries.last?.id : nil)
            }
        }
    }

    static func insertAudit(_ db: Database, at: Int64, actor: AuditActor, action: String, status: Int?) throws {
        try db.execute(
            sql: "INSERT INTO audit_entry (at, actor, action, status) VALUES (?, ?, ?, ?)",
            arguments: [at, actor.storedText, action, status])
    }
}
