import FaultlineCore
import Foundation
import GRDB

/// The outbox as the delivery worker uses it: claim due notifications under a lease, record every
/// attempt, evaluate thresholds; and the delivery log the API and the explorer show.
extension IssueStore {
    static let outboxColumns = "id, notification_id, monitor_id, issue_id, type, state, count, created_at, due_at, attempts"

    /// Leases up to `limit` due notifications to `owner` until `now + lease`: another worker (or this one
    /// after a crash) takes a notification again only once its lease has run out.
    public func claimNotifications(owner: String, limit: Int, lease: TimeInterval, now: Date = Date()) async throws -> [OutboxNotification] {
        try requireWritable("claimNotifications")
        let nowMillis = StoreTime.millis(now)
        return try await perform("claimNotifications") { pool in
            // Polled every second: read first, so an idle server never takes the write lock for nothing.
            let due = try await pool.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?))",
                    arguments: [nowMillis, nowMillis]) ?? false
            }
            guard due else { return [] }
            return try await pool.write { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        UPDATE outbox SET lease_owner = ?, lease_until = ?
                        WHERE id IN (
                            SELECT id FROM outbox WHERE state = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                            ORDER BY due_at, id LIMIT ?)
                        RETURNING \(Self.outboxColumns)
                        """,
                    arguments: [owner, nowMillis + Int64(lease * 1000), nowMillis, nowMillis, max(1, limit)]
                ).map(Self.notification).sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
            }
        }
    }

    /// The earliest due time of a pending notification nobody holds, for the worker's next wake-up.
    public func nextNotificationDue() async throws -> Date? {
        try await perform("nextNotificationDue") { pool in
            try await pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT MIN(MAX(due_at, IFNULL(lease_until, 0))) FROM outbox WHERE state = 'pending'")
                    .map(StoreTime.date(millis:))
            }
        }
    }

    /// Records one attempt and what follows from it, in one transaction.
    public func recordDelivery(
        _ notification: OutboxNotification, statusCode: Int?, error: String?, latency: TimeInterval, result: DeliveryResult, at date: Date = Date()
    ) async throws {
        try requireWritable("recordDelivery")
        let at = StoreTime.millis(date)
        try await perform("recordDelivery") { pool in
            try await pool.write { db in
                let attempt = try Int.fetchOne(db, sql: "SELECT attempts FROM outbox WHERE id = ?", arguments: [notification.id]) ?? notification.attempts
                let outcome: OutboxNotification.State
                switch result {
                case .delivered:
                    outcome = .delivered
                    try db.execute(
                        sql: "UPDATE outbox SET state = 'delivered', delivered_at = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE id = ?",
                        arguments: [at, notification.id])
                case .retry(let due):
                    outcome = .pending
                    try db.execute(
                        sql: "UPDATE outbox SET due_at = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'pending'",
                        arguments: [StoreTime.millis(due), notification.id])
                case .failed:
                    outcome = .failed
                    try db.execute(
                        sql: "UPDATE outbox SET state = 'failed', attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE id = ?",
                        arguments: [notification.id])
                case .channelGone(let reason):
                    outcome = .failed
                    try db.execute(
                        sql: "UPDATE outbox SET state = 'failed', attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE id = ?",
                        arguments: [notification.id])
                    try db.execute(
                        sql: "UPDATE monitor SET disabled_at = ?, disabled_reason = ? WHERE id = ?",
                        arguments: [at, reason, notification.monitorID])
                    try db.execute(
                        sql: "UPDATE outbox SET state = 'failed', lease_owner = NULL, lease_until = NULL WHERE monitor_id = ? AND state = 'pending' AND type != 'monitor.test'",
                        arguments: [notification.monitorID])
                    try MonitorRow.bumpRevision(db)
                }
                try db.execute(
                    sql: """
                        INSERT INTO delivery (outbox_id, monitor_id, attempt, at, status_code, error, latency_ms, outcome)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [notification.id, notification.monitorID, attempt + 1, at, statusCode, error, latency * 1000, outcome.rawValue])
            }
        }
    }

    /// Puts a claimed notification back, due at `date`, without counting an attempt (waiting for enrichment).
    public func postponeNotification(_ notification: OutboxNotification, until date: Date) async throws {
        try requireWritable("postponeNotification")
        try await perform("postponeNotification") { pool in
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE outbox SET due_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'pending'",
                    arguments: [StoreTime.millis(date), notification.id])
            }
        }
    }

    /// Queues a `monitor.test` notification (about the most recently seen matching issue, when there is one);
    /// nil when there is no such monitor. Sent even when the monitor is muted or disabled: it tests the channel.
    public func enqueueTestNotification(monitorID: Int64, now: Date = Date()) async throws -> OutboxNotification? {
        try requireWritable("enqueueTestNotification")
        let millis = StoreTime.millis(now)
        return try await perform("enqueueTestNotification") { pool in
            try await pool.write { db -> OutboxNotification? in
                guard let monitor = try Self.fetchMonitor(db, id: monitorID, operation: "enqueueTestNotification") else { return nil }
                var issueID: Int64?
                if let query = try? IssueQuery(parsing: monitor.query) {
                    let filter = IssueFilter(query: query, from: nil, to: nil, now: now)
                    issueID = try Int64.fetchOne(
                        db, sql: "SELECT issue.id FROM issue \(filter.whereSQL) ORDER BY issue.last_seen DESC LIMIT 1", arguments: filter.arguments)
                }
                let id = try OutboxRecorder.enqueue(db, monitor: monitor, issueID: issueID, event: .test, count: nil, at: millis)
                return try Row.fetchOne(db, sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE id = ?", arguments: [id]).map(Self.notification)
            }
        }
    }

    /// A monitor's attempts, newest first.
    public func deliveries(monitorID: Int64, limit: Int = 100) async throws -> [DeliveryAttempt] {
        try await perform("deliveries") { pool in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT delivery.id, outbox.notification_id, delivery.monitor_id, outbox.issue_id, outbox.type, delivery.attempt,
                               delivery.at, delivery.status_code, delivery.error, delivery.latency_ms, delivery.outcome
                        FROM delivery JOIN outbox ON outbox.id = delivery.outbox_id
                        WHERE delivery.monitor_id = ? ORDER BY delivery.id DESC LIMIT ?
                        """,
                    arguments: [monitorID, min(max(limit, 1), 1000)]
                ).map { row in
                    DeliveryAttempt(
                        id: row["id"], notificationID: row["notification_id"], monitorID: row["monitor_id"], issueID: row["issue_id"],
                        type: row["type"], attempt: row["attempt"], at: StoreTime.date(millis: row["at"]), statusCode: row["status_code"],
                        error: row["error"], latencyMillis: row["latency_ms"], outcome: row["outcome"])
                }
            }
        }
    }

    /// The latest delivery attempt of each monitor.
    public func lastDeliveries() async throws -> [Int64: DeliveryAttempt] {
        try await perform("lastDeliveries") { pool in
            try await pool.read { db in
                var latest: [Int64: DeliveryAttempt] = [:]
                let rows = try Row.fetchAll(db, sql: """
                    SELECT delivery.id, outbox.notification_id, delivery.monitor_id, outbox.issue_id, outbox.type, delivery.attempt,
                           delivery.at, delivery.status_code, delivery.error, delivery.latency_ms, delivery.outcome
                    FROM delivery JOIN outbox ON outbox.id = delivery.outbox_id
                    WHERE delivery.id IN (SELECT MAX(id) FROM delivery GROUP BY monitor_id)
                    """)
                for row in rows {
                    let attempt = DeliveryAttempt(
                        id: row["id"], notificationID: row["notification_id"], monitorID: row["monitor_id"], issueID: row["issue_id"],
                        type: row["type"], attempt: row["attempt"], at: StoreTime.date(millis: row["at"]), statusCode: row["status_code"],
                        error: row["error"], latencyMillis: row["latency_ms"], outcome: row["outcome"])
                    latest[attempt.monitorID] = attempt
                }
                return latest
            }
        }
    }

    /// Notifications monitors made about an issue, newest first.
    public func notifications(issueID: Int64) async throws -> [IssueNotification] {
        try await perform("notifications") { pool in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT outbox.monitor_id, monitor.name, outbox.notification_id, outbox.type, outbox.state, outbox.created_at, outbox.delivered_at
                        FROM outbox JOIN monitor ON monitor.id = outbox.monitor_id
                        WHERE outbox.issue_id = ? AND outbox.type != 'monitor.test' ORDER BY outbox.id DESC LIMIT 100
                        """,
                    arguments: [issueID]
                ).map { row in
                    let delivered: Int64? = row["delivered_at"]
                    return IssueNotification(
                        monitorID: row["monitor_id"], monitorName: row["name"], notificationID: row["notification_id"], type: row["type"],
                        state: row["state"], createdAt: StoreTime.date(millis: row["created_at"]), deliveredAt: delivered.map(StoreTime.date(millis:)))
                }
            }
        }
    }

    /// Pending notifications per monitor (waiting or retrying).
    public func pendingNotificationCounts() async throws -> [Int64: Int] {
        try await perform("pendingNotificationCounts") { pool in
            try await pool.read { db in
                var counts: [Int64: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT monitor_id, COUNT(*) AS n FROM outbox WHERE state = 'pending' GROUP BY monitor_id") {
                    counts[row["monitor_id"]] = row["n"]
                }
                return counts
            }
        }
    }

    /// Checks every threshold monitor against the minute counts; queues `monitor.threshold` for each
    /// (monitor, issue) that crosses — once while it stays over, again after `renotify` — and returns how many.
    @discardableResult
    public func evaluateThresholds(now: Date = Date()) async throws -> Int {
        try requireWritable("evaluateThresholds")
        let nowMillis = StoreTime.millis(now)
        return try await perform("evaluateThresholds") { pool in
            guard try await pool.read({ db in try MonitorCache.current(db).hasThresholds }) else { return 0 }
            return try await pool.write { db in
                let monitors = try MonitorCache.current(db).monitors.filter { $0.monitor.kind == .threshold }
                var queued = 0
                var longestWindow: TimeInterval = 0
                for entry in monitors {
                    guard let threshold = entry.monitor.threshold else { continue }
                    longestWindow = max(longestWindow, threshold.window)
                    guard entry.monitor.disabledAt == nil, !entry.monitor.isMuted(at: now) else { continue }
                    queued += try Self.evaluate(db, entry, threshold: threshold, nowMillis: nowMillis)
                }
                // Minutes no window reaches any more.
                let oldest = (nowMillis - Int64(longestWindow * 1000)) / 60_000 - 1
                try db.execute(sql: "DELETE FROM issue_minute WHERE minute < ?", arguments: [monitors.isEmpty ? Int64.max : oldest])
                return queued
            }
        }
    }

    private static func evaluate(_ db: Database, _ entry: MonitorCache.Entry, threshold: Monitor.Threshold, nowMillis: Int64) throws -> Int {
        let monitor = entry.monitor
        let fromMinute = (nowMillis - Int64(threshold.window * 1000)) / 60_000
        var filter = IssueFilter(query: entry.query, from: nil, to: nil, now: StoreTime.date(millis: nowMillis))
        filter.append("issue.status NOT IN \(OutboxRecorder.silentStatuses)", [])
        filter.append("m.minute >= ?", [fromMinute])
        let counts = try Row.fetchAll(
            db,
            sql: "SELECT m.issue_id AS issue_id, SUM(m.count) AS n FROM issue_minute m JOIN issue ON issue.id = m.issue_id \(filter.whereSQL) GROUP BY m.issue_id ORDER BY n DESC, m.issue_id",
            arguments: filter.arguments
        ).map { (issueID: $0["issue_id"] as Int64, count: $0["n"] as Int) }
        // (state row key, issue named in the notification, count)
        var over: [(key: Int64, issueID: Int64, count: Int)] = []
        switch threshold.per {
        case .issue:
            over = counts.filter { $0.count > threshold.count }.map { ($0.issueID, $0.issueID, $0.count) }
        case .query:
            let total = counts.reduce(0) { $0 + $1.count }
            if total > threshold.count, let top = counts.first { over = [(0, top.issueID, total)] }
        }
        let renotifyCutoff = monitor.renotify.map { nowMillis - Int64($0 * 1000) }
        let fire = try db.cachedStatement(sql: """
            INSERT INTO monitor_issue_state (monitor_id, issue_id, cause, notified_at, firing) VALUES (?, ?, 'threshold', ?, 1)
            ON CONFLICT (monitor_id, issue_id) DO UPDATE SET notified_at = excluded.notified_at, firing = 1
            WHERE firing = 0 OR (? IS NOT NULL AND notified_at <= ?)
            """)
        var queued = 0
        for item in over {
            try fire.execute(arguments: [monitor.id, item.key, nowMillis, renotifyCutoff, renotifyCutoff])
            if db.changesCount > 0 {
                try OutboxRecorder.enqueue(db, monitor: monitor, issueID: item.issueID, event: .threshold, count: item.count, at: nowMillis)
                queued += 1
            }
        }
        // Back under the count: the next crossing notifies again.
        let keys = over.map(\.key)
        try db.execute(
            sql: "UPDATE monitor_issue_state SET firing = 0 WHERE monitor_id = ? AND firing = 1 AND issue_id NOT IN (\(keys.isEmpty ? "NULL" : databaseQuestionMarks(count: keys.count)))",
            arguments: StatementArguments([monitor.id] + keys))
        return queued
    }

    /// Deletes delivered and failed notifications (with their attempts) created before `now - eventRetention`,
    /// like events; pending ones are kept whatever their age. Returns how many notifications went.
    @discardableResult
    public func pruneNotifications(now: Date = Date()) async throws -> Int {
        try requireWritable("pruneNotifications")
        let cutoff = StoreTime.millis(now.addingTimeInterval(-configuration.eventRetention))
        return try await perform("pruneNotifications") { pool in
            let old = try await pool.read { db in
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE state != 'pending' AND created_at < ?)", arguments: [cutoff]) ?? false
            }
            guard old else { return 0 }
            return try await pool.write { db in
                try db.execute(
                    sql: "DELETE FROM delivery WHERE outbox_id IN (SELECT id FROM outbox WHERE state != 'pending' AND created_at < ?)",
                    arguments: [cutoff])
                try db.execute(sql: "DELETE FROM outbox WHERE state != 'pending' AND created_at < ?", arguments: [cutoff])
                return db.changesCount
            }
        }
    }

    static func notification(_ row: Row) -> OutboxNotification {
        let typeText: String = row["type"]
        let stateText: String = row["state"]
        return OutboxNotification(
            id: row["id"], notificationID: row["notification_id"], monitorID: row["monitor_id"], issueID: row["issue_id"],
            event: OutboxNotification.Event(rawValue: typeText) ?? .test, state: OutboxNotification.State(rawValue: stateText) ?? .pending,
            count: row["count"], createdAt: StoreTime.date(millis: row["created_at"]), dueAt: StoreTime.date(millis: row["due_at"]),
            attempts: row["attempts"])
    }
}
