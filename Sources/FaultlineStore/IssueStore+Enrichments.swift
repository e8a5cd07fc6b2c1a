import FaultlineCore
import Foundation
import GRDB

/// Enrichment results: stored per issue for its latest event, redone when the event or the link changes.
extension IssueStore {
    /// Stores the enrichment of an issue's event, replacing the previous one; ignored when the issue is gone.
    public func saveEnrichment(_ enrichment: IssueEnrichment) async throws {
        try requireWritable("saveEnrichment")
        try await perform("saveEnrichment") { pool in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO issue_enrichment (issue_id, event_id, repository_key, sources, enriched_at, attempts, failing_since, retry_at)
                        SELECT id, ?, ?, ?, ?, ?, ?, ? FROM issue WHERE id = ?
                        ON CONFLICT (issue_id) DO UPDATE SET
                            event_id = excluded.event_id, repository_key = excluded.repository_key,
                            sources = excluded.sources, enriched_at = excluded.enriched_at,
                            attempts = excluded.attempts, failing_since = excluded.failing_since, retry_at = excluded.retry_at
                        """,
                    arguments: [
                        enrichment.eventID, enrichment.repositoryKey, enrichment.sources, StoreTime.millis(enrichment.enrichedAt),
                        enrichment.attempts, enrichment.failingSince.map(StoreTime.millis), enrichment.retryAt.map(StoreTime.millis),
                        enrichment.issueID,
                    ]
                )
                if let culprit = enrichment.culprit {
                    try db.execute(
                        sql: "UPDATE issue SET culprit = ? WHERE id = ? AND latest_event_id = ?",
                        arguments: [culprit, enrichment.issueID, enrichment.eventID]
                    )
                }
            }
        }
    }

    /// Makes every enrichment waiting to retry on `repositoryKey` due at once: the repository just answered
    /// (a fetch brought its commits), so the issues waiting on it need not wait for their backoff.
    @discardableResult
    public func retryWaitingEnrichments(repositoryKey: String, now: Date = Date()) async throws -> Int {
        try requireWritable("retryWaitingEnrichments")
        return try await perform("retryWaitingEnrichments") { pool in
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE issue_enrichment SET retry_at = ? WHERE repository_key = ? AND retry_at > ?",
                    arguments: [StoreTime.millis(now), repositoryKey, StoreTime.millis(now)])
                return db.changesCount
            }
        }
    }

    /// The stored enrichment of an issue (of whichever event it was made for), or nil.
    public func enrichment(issueID: Int64) async throws -> IssueEnrichment? {
        try await perform("enrichment") { pool in
            try await pool.read { db in
                try Row.fetchOne(
                    db, sql: """
                        SELECT issue_id, event_id, repository_key, sources, enriched_at, attempts, failing_since, retry_at
                        FROM issue_enrichment WHERE issue_id = ?
                        """, arguments: [issueID]
                ).map { row in
                    IssueEnrichment(
                        issueID: row["issue_id"], eventID: row["event_id"], repositoryKey: row["repository_key"], sources: row["sources"],
                        enrichedAt: StoreTime.date(millis: row["enriched_at"]), attempts: row["attempts"],
                        failingSince: (row["failing_since"] as Int64?).map(StoreTime.date(millis:)),
                        retryAt: (row["retry_at"] as Int64?).map(StoreTime.date(millis:)))
                }
            }
        }
    }

    /// Issues whose latest event is not enriched yet (or whose enrichment was for an older event, or failed
    /// for a passing reason and is due again at `now`), most recently seen first, skipping `excluding`
    /// (issues already being enriched).
    public func pendingEnrichments(limit: Int = 100, excluding: Set<Int64> = [], now: Date = Date()) async throws -> [PendingEnrichment] {
        let limit = min(max(limit, 1), 1000)
        return try await perform("pendingEnrichments") { pool in
            try await pool.read { db in
                let excluded = excluding.sorted()
                let skip = excluded.isEmpty ? "" : "AND issue.id NOT IN (\(Array(repeating: "?", count: excluded.count).joined(separator: ",")))"
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT issue.id AS issue_id, issue.service, issue.first_seen,
                               event.id AS event_id, event.received_at, event.occurred_at, \(StoredEventParts.columns)
                        FROM issue
                        JOIN event ON event.id = issue.latest_event_id
                        LEFT JOIN issue_enrichment ON issue_enrichment.issue_id = issue.id
                        WHERE (issue_enrichment.issue_id IS NULL OR issue_enrichment.event_id != issue.latest_event_id
                               OR issue_enrichment.retry_at <= ?) \(skip)
                        ORDER BY issue.last_seen DESC, issue.id DESC
                        LIMIT ?
                        """,
                    arguments: [StoreTime.millis(now)] + StatementArguments(excluded) + [limit]
                )
                let decoder = JSONDecoder()
                return try rows.map { row in
                    let grouped: GroupedEvent
                    do {
                        grouped = try StoredEventParts.decode(row, decoder: decoder)
                    } catch {
                        throw StoreError(.corruptData, operation: "pendingEnrichments", detail: "stored event payload is not a valid GroupedEvent")
                    }
                    let event = StoredEvent(
                        id: row["event_id"], issueID: row["issue_id"], receivedAt: StoreTime.date(millis: row["received_at"]), occurredAt: StoreTime.date(millis: row["occurred_at"]), event: grouped
                    )
                    return PendingEnrichment(issueID: row["issue_id"], service: row["service"], firstSeen: StoreTime.date(millis: row["first_seen"]), event: event)
                }
            }
        }
    }

    /// Drops one issue's enrichment so the worker redoes it (e.g. a stored value that no longer decodes).
    public func invalidateEnrichment(issueID: Int64) async throws {
        try requireWritable("invalidateEnrichment")
        try await perform("invalidateEnrichment") { pool in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM issue_enrichment WHERE issue_id = ?", arguments: [issueID])
            }
        }
    }

    /// Drops enrichment results so the worker redoes them: every issue's, or one service's.
    @discardableResult
    public func invalidateEnrichments(service: String? = nil) async throws -> Int {
        try requireWritable("invalidateEnrichments")
        return try await perform("invalidateEnrichments") { pool in
            try await pool.write { db in
                if let service {
                    try Self.dropEnrichments(db, service: service)
                } else {
                    try db.execute(sql: "DELETE FROM issue_enrichment")
                }
                let dropped = db.changesCount
                // The running server forgets its recent failures, so a failed mirror is tried at once.
                try db.execute(
                    sql: "INSERT INTO sync_request (id, requested_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET requested_at = excluded.requested_at",
                    arguments: [StoreTime.millis(Date())]
                )
                return dropped
            }
        }
    }

    static func dropEnrichments(_ db: Database, service: String) throws {
        try db.execute(sql: "DELETE FROM issue_enrichment WHERE issue_id IN (SELECT id FROM issue WHERE service = ?)", arguments: [service])
    }
}
