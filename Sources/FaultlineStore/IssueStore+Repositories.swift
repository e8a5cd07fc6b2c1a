import FaultlineCore
import Foundation
import GRDB

/// Repository links, mirror states and enrichment results (migration `v2-repositories-enrichment`).
extension IssueStore {
    // MARK: Links

    /// Links a service (one version, or every version when `version` is nil) to a repository,
    /// replacing an earlier link for the same service and version. Enrichments of the service's
    /// issues are dropped so the worker redoes them with the new link.
    @discardableResult
    public func linkRepository(_ link: RepositoryLink) async throws -> RepositoryLink {
        try requireWritable("linkRepository")
        let mappings = try Self.encodeMappings(link.mappings)
        return try await perform("linkRepository") { pool in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO repository_link (service, version, repository_key, repository_url, ref, mappings, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (service, version) DO UPDATE SET
                            repository_key = excluded.repository_key, repository_url = excluded.repository_url,
                            ref = excluded.ref, mappings = excluded.mappings, created_at = excluded.created_at
                        """,
                    arguments: [link.service, link.version ?? "", link.repositoryKey, link.repositoryURL, link.ref, mappings, StoreTime.millis(link.createdAt)]
                )
                try Self.dropEnrichments(db, service: link.service)
                guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.linkColumns) FROM repository_link WHERE service = ? AND version = ?", arguments: [link.service, link.version ?? ""]) else {
                    throw StoreError(.database, operation: "linkRepository", detail: "the link was not stored")
                }
                return try Self.link(row)
            }
        }
    }

    /// Removes the link of a service (and version); false when there was none.
    @discardableResult
    public func unlinkRepository(service: String, version: String? = nil) async throws -> Bool {
        try requireWritable("unlinkRepository")
        return try await perform("unlinkRepository") { pool in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM repository_link WHERE service = ? AND version = ?", arguments: [service, version ?? ""])
                let removed = db.changesCount > 0
                if removed { try Self.dropEnrichments(db, service: service) }
                return removed
            }
        }
    }

    /// Every manual link, by service then version.
    public func repositoryLinks() async throws -> [RepositoryLink] {
        try await perform("repositoryLinks") { pool in
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT \(Self.linkColumns) FROM repository_link ORDER BY service, version").map(Self.link)
            }
        }
    }

    /// The link that applies to a service version: the version's own, else the service-wide one.
    public func repositoryLink(service: String, version: String?) async throws -> RepositoryLink? {
        try await perform("repositoryLink") { pool in
            try await pool.read { db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT \(Self.linkColumns) FROM repository_link WHERE service = ? AND version IN (?, '') ORDER BY version = '' LIMIT 1",
                    arguments: [service, version ?? ""]
                ).map(Self.link)
            }
        }
    }

    // MARK: Mirror states

    /// Records a mirror's state (one row per repository key).
    public func recordRepositoryStatus(_ status: RepositoryStatusRecord) async throws {
        try requireWritable("recordRepositoryStatus")
        try await perform("recordRepositoryStatus") { pool in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO repository_status (repository_key, repository_url, state, last_error, last_fetch_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (repository_key) DO UPDATE SET
                            repository_url = excluded.repository_url, state = excluded.state, last_error = excluded.last_error,
                            last_fetch_at = COALESCE(excluded.last_fetch_at, repository_status.last_fetch_at), updated_at = excluded.updated_at
                        """,
                    arguments: [
                        status.repositoryKey, status.repositoryURL, status.state.rawValue, status.lastError,
                        status.lastFetchAt.map(StoreTime.millis), StoreTime.millis(status.updatedAt),
                    ]
                )
            }
        }
    }

    /// Every known mirror's state, by key.
    public func repositoryStatuses() async throws -> [RepositoryStatusRecord] {
        try await perform("repositoryStatuses") { pool in
            try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT repository_key, repository_url, state, last_error, last_fetch_at, updated_at FROM repository_status ORDER BY repository_key"
                ).map { row in
                    let state: String = row[2]
                    guard let parsed = RepositoryStatusRecord.State(rawValue: state) else {
                        throw StoreError(.corruptData, operation: "repositoryStatuses", detail: "unknown repository state in database")
                    }
                    let fetched: Int64? = row[4]
                    return RepositoryStatusRecord(
                        repositoryKey: row[0], repositoryURL: row[1], state: parsed, lastError: row[3],
                        lastFetchAt: fetched.map(StoreTime.date(millis:)), updatedAt: StoreTime.date(millis: row[5])
                    )
                }
            }
        }
    }

    // MARK: Enrichment results

    /// Stores the enrichment of an issue's event, replacing the previous one; ignored when the issue is gone.
    public func saveEnrichment(_ enrichment: IssueEnrichment) async throws {
        try requireWritable("saveEnrichment")
        try await perform("saveEnrichment") { pool in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO issue_enrichment (issue_id, event_id, repository_key, sources, enriched_at)
                        SELECT id, ?, ?, ?, ? FROM issue WHERE id = ?
                        ON CONFLICT (issue_id) DO UPDATE SET
                            event_id = excluded.event_id, repository_key = excluded.repository_key,
                            sources = excluded.sources, enriched_at = excluded.enriched_at
                        """,
                    arguments: [enrichment.eventID, enrichment.repositoryKey, enrichment.sources, StoreTime.millis(enrichment.enrichedAt), enrichment.issueID]
                )
            }
        }
    }

    /// The stored enrichment of an issue (of whichever event it was made for), or nil.
    public func enrichment(issueID: Int64) async throws -> IssueEnrichment? {
        try await perform("enrichment") { pool in
            try await pool.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT issue_id, event_id, repository_key, sources, enriched_at FROM issue_enrichment WHERE issue_id = ?", arguments: [issueID]
                ).map { row in
                    IssueEnrichment(issueID: row[0], eventID: row[1], repositoryKey: row[2], sources: row[3], enrichedAt: StoreTime.date(millis: row[4]))
                }
            }
        }
    }

    /// Issues whose latest event is not enriched yet (or whose enrichment was for an older event),
    /// most recently seen first, skipping `excluding` (issues already being enriched).
    public func pendingEnrichments(limit: Int = 100, excluding: Set<Int64> = []) async throws -> [PendingEnrichment] {
        let limit = min(max(limit, 1), 1000)
        return try await perform("pendingEnrichments") { pool in
            try await pool.read { db in
                let excluded = excluding.sorted()
                let skip = excluded.isEmpty ? "" : "AND issue.id NOT IN (\(Array(repeating: "?", count: excluded.count).joined(separator: ",")))"
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT issue.id, issue.service, issue.first_seen,
                               event.id, event.issue_id, event.received_at, event.occurred_at, event.payload
                        FROM issue
                        JOIN event ON event.id = issue.latest_event_id
                        LEFT JOIN issue_enrichment ON issue_enrichment.issue_id = issue.id
                        WHERE (issue_enrichment.issue_id IS NULL OR issue_enrichment.event_id != issue.latest_event_id) \(skip)
                        ORDER BY issue.last_seen DESC, issue.id DESC
                        LIMIT ?
                        """,
                    arguments: StatementArguments(excluded) + [limit]
                )
                let decoder = JSONDecoder()
                return try rows.map { row in
                    let payload: Data = row[7]
                    let grouped: GroupedEvent
                    do {
                        grouped = try StoredEventPayload.decode(payload, using: decoder)
                    } catch {
                        throw StoreError(.corruptData, operation: "pendingEnrichments", detail: "stored event payload is not a valid GroupedEvent")
                    }
                    let event = StoredEvent(
                        id: row[3], issueID: row[4], receivedAt: StoreTime.date(millis: row[5]), occurredAt: StoreTime.date(millis: row[6]), event: grouped
                    )
                    return PendingEnrichment(issueID: row[0], service: row[1], firstSeen: StoreTime.date(millis: row[2]), event: event)
                }
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
                return db.changesCount
            }
        }
    }

    // MARK: Helpers

    static let linkColumns = "id, service, version, repository_key, repository_url, ref, mappings, created_at"

    static func link(_ row: Row) throws -> RepositoryLink {
        let version: String = row[2]
        let mappingsText: String = row[6]
        let mappings: [PathMapping]
        do {
            mappings = try JSONDecoder().decode([PathMapping].self, from: Data(mappingsText.utf8))
        } catch {
            throw StoreError(.corruptData, operation: "repositoryLinks", detail: "path mappings are not valid JSON")
        }
        return RepositoryLink(
            id: row[0], service: row[1], version: version.isEmpty ? nil : version, repositoryKey: row[3],
            repositoryURL: row[4], ref: row[5], mappings: mappings, createdAt: StoreTime.date(millis: row[7])
        )
    }

    static func encodeMappings(_ mappings: [PathMapping]) throws -> String {
        do {
            return String(decoding: try JSONEncoder().encode(mappings), as: UTF8.self)
        } catch {
            throw StoreError(.invalidArgument, operation: "linkRepository", detail: "path mappings cannot be encoded")
        }
    }

    static func dropEnrichments(_ db: Database, service: String) throws {
        try db.execute(sql: "DELETE FROM issue_enrichment WHERE issue_id IN (SELECT id FROM issue WHERE service = ?)", arguments: [service])
    }
}
