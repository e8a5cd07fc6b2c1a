import FaultlineCore
import Foundation
import GRDB

/// Status changes, retention and auto-resolution: how issues move through their lifecycle.
extension IssueStore {
    /// Changes an issue's status and records the change; nil when there is no such issue.
    /// Resolving records the issue's last version as `resolvedInVersion` and clears the regression flag.
    /// `actor` is kept in the status history; a CLI change is also added to the audit list (the API adds its own).
    @discardableResult
    public func setStatus(issueID: Int64, to status: IssueStatus, at date: Date = Date(), actor: AuditActor? = nil) async throws -> Issue? {
        try requireWritable("setStatus")
        let now = Date()
        return try await perform("setStatus") { pool in
            try await pool.write { db -> Issue? in
                guard let row = try Row.fetchOne(db, sql: "SELECT status, last_version FROM issue WHERE id = ?", arguments: [issueID]) else {
                    return nil
                }
                let currentText: String = row["status"]
                let lastVersion: String? = row["last_version"]
                let current = IssueStatus(rawValue: currentText)
                if current != status {
                    let at = StoreTime.millis(date)
                    switch status {
                    case .resolved:
                        try db.execute(
                            sql: "UPDATE issue SET status = ?, status_changed_at = ?, resolved_in_version = last_version, is_regression = 0, regressed_in_version = NULL WHERE id = ?",
                            arguments: [status.rawValue, at, issueID])
                        try OutboxRecorder.recordResolve(db, issueID: issueID, at: at)
                    default:
                        try db.execute(
                            sql: "UPDATE issue SET status = ?, status_changed_at = ?, resolved_in_version = NULL WHERE id = ?",
                            arguments: [status.rawValue, at, issueID])
                    }
                    try db.execute(
                        sql: "INSERT INTO status_change (issue_id, from_status, to_status, at, cause, version, actor) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        arguments: [issueID, current?.rawValue, status.rawValue, at, StatusChange.Cause.user.rawValue, status == .resolved ? lastVersion : nil, actor?.storedText])
                    if let actor, actor.kind == .cli {
                        try Self.insertAudit(db, at: at, actor: actor, action: "issues \(status.rawValue) \(issueID)", status: nil)
                    }
                }
                return try Self.fetchIssue(db, id: issueID, now: now, operation: "setStatus")
            }
        }
    }

    /// Deletes events received before `now - eventRetention` (never an issue's latest) and old hourly counts.
    @discardableResult
    public func applyRetention(now: Date = Date()) async throws -> MaintenanceSummary {
        try requireWritable("applyRetention")
        let eventCutoff = StoreTime.millis(now.addingTimeInterval(-configuration.eventRetention))
        let hourCutoff = StoreTime.hour(millis: StoreTime.millis(now.addingTimeInterval(-configuration.hourlyCountRetention)))
        return try await perform("applyRetention") { pool in
            // In chunks, each its own transaction, so that ingest commits interleave with a large clean-up.
            var summary = MaintenanceSummary()
            while true {
                let deleted = try await pool.write { db in
                    try db.execute(
                        sql: """
                            DELETE FROM event WHERE id IN (
                                SELECT id FROM event WHERE received_at < ?
                                AND id NOT IN (SELECT latest_event_id FROM issue WHERE latest_event_id IS NOT NULL)
                                LIMIT ?)
                            """,
                        arguments: [eventCutoff, Self.retentionChunk])
                    return db.changesCount
                }
                summary.eventsDeleted += deleted
                if deleted < Self.retentionChunk { break }
            }
            // Stack traces, tag maps and other parts no remaining event refers to.
            if summary.eventsDeleted > 0 {
                _ = try await pool.write { db in try EventPartCache.collectGarbage(db) }
            }
            // The ids of counted spans are kept as long as events are: a resend comes within seconds.
            _ = try await pool.write { db in
                try db.execute(sql: "DELETE FROM event_key WHERE received_at < ?", arguments: [eventCutoff])
            }
            summary.hourlyCountsDeleted = try await pool.write { db in
                try db.execute(sql: "DELETE FROM issue_stat WHERE kind = \(StatKind.hour.rawValue) AND value < ?", arguments: [hourCutoff])
                return db.changesCount
            }
            return summary
        }
    }

    /// Events deleted per retention transaction.
    static let retentionChunk = 2000

    /// Resolves open and acknowledged issues not seen for `autoResolveAfter` whose service has since run a newer
    /// version they never appeared in; returns how many it resolved.
    @discardableResult
    public func autoResolve(now: Date = Date()) async throws -> Int {
        try requireWritable("autoResolve")
        let cutoff = StoreTime.millis(now.addingTimeInterval(-configuration.autoResolveAfter))
        let at = StoreTime.millis(now)
        return try await perform("autoResolve") { pool in
            try await pool.write { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT issue.id, issue.status, issue.last_version FROM issue
                    WHERE issue.status IN ('open', 'acknowledged') AND issue.last_seen < ? AND issue.last_version IS NOT NULL
                    AND EXISTS (
                        SELECT 1 FROM service_version sv
                        WHERE sv.service = issue.service AND sv.env = issue.env
                        AND sv.last_seen > issue.last_seen
                        AND sv.first_seen > (
                            SELECT lv.first_seen FROM service_version lv
                            WHERE lv.service = issue.service AND lv.env = issue.env AND lv.version = issue.last_version)
                        AND NOT EXISTS (SELECT 1 FROM issue_stat iv WHERE iv.issue_id = issue.id AND iv.kind = \(StatKind.version.rawValue) AND iv.value = sv.version))
                    """, arguments: [cutoff])
                for row in rows {
                    let id: Int64 = row["id"]
                    let from: String = row["status"]
                    let version: String? = row["last_version"]
                    try db.execute(
                        sql: "UPDATE issue SET status = 'resolved', status_changed_at = ?, resolved_in_version = last_version, is_regression = 0, regressed_in_version = NULL WHERE id = ?",
                        arguments: [at, id])
                    try db.execute(
                        sql: "INSERT INTO status_change (issue_id, from_status, to_status, at, cause, version) VALUES (?, ?, 'resolved', ?, ?, ?)",
                        arguments: [id, from, at, StatusChange.Cause.autoResolve.rawValue, version])
                    try OutboxRecorder.recordResolve(db, issueID: id, at: at)
                }
                return rows.count
            }
        }
    }
}
