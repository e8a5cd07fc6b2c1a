import Foundation
import GRDB

/// What the server's `/readyz` reports of the store.
public struct StoreReadiness: Sendable, Hashable {
    /// Every migration this build knows is applied.
    public var migrationsApplied: Bool
    /// A write transaction could begin: the database is open, not read-only, and its write lock was free
    /// within the busy timeout.
    public var writable: Bool

    public var isReady: Bool { migrationsApplied && writable }
}

extension IssueStore {
    /// Checks the schema and takes the write lock for a moment (an immediate transaction, rolled back):
    /// writes nothing. Any failure reads as not ready rather than throwing.
    public func readiness() async -> StoreReadiness {
        var readiness = StoreReadiness(migrationsApplied: false, writable: false)
        readiness.migrationsApplied = (try? await pool.read { db in try StoreSchema.migrator.hasCompletedMigrations(db) }) ?? false
        guard !configuration.readOnly else { return readiness }
        do {
            try await pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) { .rollback }
            }
            readiness.writable = true
        } catch {
            readiness.writable = false
        }
        return readiness
    }

    /// How many issues ``pendingEnrichments(limit:excluding:now:)`` would return without a limit: the
    /// enrichment queue's depth.
    public func pendingEnrichmentCount(now: Date = Date()) async throws -> Int {
        try await perform("pendingEnrichmentCount") { pool in
            try await pool.read { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*)
                        FROM issue
                        LEFT JOIN issue_enrichment ON issue_enrichment.issue_id = issue.id
                        WHERE issue.latest_event_id IS NOT NULL
                          AND (issue_enrichment.issue_id IS NULL OR issue_enrichment.event_id != issue.latest_event_id
                               OR issue_enrichment.retry_at <= ?)
                        """,
                    arguments: [StoreTime.millis(now)]
                ) ?? 0
            }
        }
    }
}
