import FaultlineCore
import Foundation
import GRDB

/// Writes notifications into the outbox inside the transaction that caused them (an ingest, a resolve),
/// deciding "at most once per cause" with a compare-and-set on the (monitor, issue) state row.
enum OutboxRecorder {
    /// Issue statuses that never notify.
    static let silentStatuses = "('ignored', 'excluded')"

    /// Called once per ingest transaction with the issues it created and the resolved ones it reopened,
    /// and the issue of each counted event (for threshold windows).
    static func record(_ db: Database, newIssueIDs: [Int64], regressedIssueIDs: [Int64], eventIssueIDs: [Int64], receivedMillis: Int64) throws {
        let snapshot = try MonitorCache.current(db)
        guard !snapshot.monitors.isEmpty else { return }
        if snapshot.hasThresholds, !eventIssueIDs.isEmpty {
            try countMinutes(db, eventIssueIDs: eventIssueIDs, receivedMillis: receivedMillis)
        }
        guard !newIssueIDs.isEmpty || !regressedIssueIDs.isEmpty else { return }
        let now = StoreTime.date(millis: receivedMillis)
        for entry in snapshot.monitors where entry.monitor.disabledAt == nil && !entry.monitor.isMuted(at: now) {
            let candidates: [Int64]
            let event: OutboxNotification.Event
            let cause: String
            switch entry.monitor.kind {
            case .newIssue:
                (candidates, event, cause) = (newIssueIDs, .newIssue, "new")
            case .regression:
                (candidates, event, cause) = (regressedIssueIDs, .regression, "regression:\(receivedMillis)")
            case .threshold:
                continue
            }
            guard !candidates.isEmpty else { continue }
            for issueID in try matching(db, entry.query, issueIDs: candidates, now: now) {
                if try claim(db, monitorID: entry.monitor.id, issueID: issueID, cause: cause, at: receivedMillis) {
                    try enqueue(db, monitor: entry.monitor, issueID: issueID, event: event, count: nil, at: receivedMillis)
                }
            }
        }
    }

    /// The issues among `issueIDs` that match the query and may notify.
    static func matching(_ db: Database, _ query: IssueQuery, issueIDs: [Int64], now: Date) throws -> [Int64] {
        var filter = IssueFilter(query: query, from: nil, to: nil, now: now)
        filter.append("issue.status NOT IN \(silentStatuses)", [])
        filter.append("issue.id IN (\(databaseQuestionMarks(count: issueIDs.count)))", StatementArguments(issueIDs))
        return try Int64.fetchAll(db, sql: "SELECT issue.id FROM issue \(filter.whereSQL) ORDER BY issue.id", arguments: filter.arguments)
    }

    /// The compare-and-set: true when this call is the one that records `cause` for (monitor, issue).
    static func claim(_ db: Database, monitorID: Int64, issueID: Int64, cause: String, at millis: Int64) throws -> Bool {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO monitor_issue_state (monitor_id, issue_id, cause, notified_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (monitor_id, issue_id) DO UPDATE SET cause = excluded.cause, notified_at = excluded.notified_at
            WHERE cause IS NOT excluded.cause
            """)
        try statement.execute(arguments: [monitorID, issueID, cause, millis])
        return db.changesCount > 0
    }

    /// Adds a pending notification due now; a PagerDuty trigger marks the incident open for the resolve.
    @discardableResult
    static func enqueue(_ db: Database, monitor: Monitor, issueID: Int64?, event: OutboxNotification.Event, count: Int?, at millis: Int64) throws -> Int64 {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO outbox (notification_id, monitor_id, issue_id, type, state, count, created_at, due_at)
            VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)
            """)
        try statement.execute(arguments: [newNotificationID(), monitor.id, issueID, event.rawValue, count, millis, millis])
        let id = db.lastInsertedRowID
        if monitor.channel.type == .pagerduty, let issueID, event != .resolved, event != .test {
            try db.execute(sql: "UPDATE monitor_issue_state SET triggered = 1 WHERE monitor_id = ? AND issue_id = ?", arguments: [monitor.id, issueID])
        }
        return id
    }

    /// `msg_` and 32 hex digits: the Standard Webhooks id, stable across retries because it is stored.
    static func newNotificationID() -> String {
        "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Called in the transaction that resolves an issue: every PagerDuty incident open for it gets a resolve.
    static func recordResolve(_ db: Database, issueID: Int64, at millis: Int64) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(MonitorRow.columns.split(separator: ",").map { "monitor." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM monitor_issue_state state JOIN monitor ON monitor.id = state.monitor_id
            WHERE state.issue_id = ? AND state.triggered = 1 AND monitor.channel_type = 'pagerduty'
            """, arguments: [issueID])
        for row in rows {
            let monitor = try MonitorRow.decode(row, operation: "setStatus")
            try enqueue(db, monitor: monitor, issueID: issueID, event: .resolved, count: nil, at: millis)
            // Resolved: a later regression or threshold may trigger (and be resolved) again.
            try db.execute(
                sql: "UPDATE monitor_issue_state SET triggered = 0, firing = 0 WHERE monitor_id = ? AND issue_id = ?",
                arguments: [monitor.id, issueID])
        }
    }

    /// Adds this transaction's events to their issues' minute counts.
    private static func countMinutes(_ db: Database, eventIssueIDs: [Int64], receivedMillis: Int64) throws {
        var counts: [Int64: Int64] = [:]
        for issueID in eventIssueIDs { counts[issueID, default: 0] += 1 }
        let minute = receivedMillis / 60_000
        let statement = try db.cachedStatement(sql: """
            INSERT INTO issue_minute (issue_id, minute, count) VALUES (?, ?, ?)
            ON CONFLICT (issue_id, minute) DO UPDATE SET count = count + excluded.count
            """)
        for (issueID, count) in counts {
            try statement.execute(arguments: [issueID, minute, count])
        }
    }
}
