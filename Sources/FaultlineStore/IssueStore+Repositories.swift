import FaultlineCore
import Foundation
import GRDB

/// Repository links and mirror states (migration `v2-repositories-enrichment`); enrichment results are
/// in `IssueStore+Enrichments.swift`.
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
                        INSERT INTO repository_status (repository_key, repository_url, state, last_error, last_fetch_at, updated_at, next_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (repository_key) DO UPDATE SET
                            repository_url = excluded.repository_url, state = excluded.state, last_error = excluded.last_error,
                            last_fetch_at = COALESCE(excluded.last_fetch_at, repository_status.last_fetch_at), updated_at = excluded.updated_at,
                            next_attempt_at = excluded.next_attempt_at
                        """,
                    arguments: [
                        status.repositoryKey, status.repositoryURL, status.state.rawValue, status.lastError,
                        status.lastFetchAt.map(StoreTime.millis), StoreTime.millis(status.updatedAt),
                        status.nextAttemptAt.map(StoreTime.millis),
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
                    db, sql: "SELECT repository_key, repository_url, state, last_error, last_fetch_at, updated_at, next_attempt_at FROM repository_status ORDER BY repository_key"
                ).map { row in
                    let state: String = row["state"]
                    guard let parsed = RepositoryStatusRecord.State(rawValue: state) else {
                        throw StoreError(.corruptData, operation: "repositoryStatuses", detail: "unknown repository state in database")
                    }
                    let fetched: Int64? = row["last_fetch_at"]
                    return RepositoryStatusRecord(
                        repositoryKey: row["repository_key"], repositoryURL: row["repository_url"], state: parsed, lastError: row["last_error"],
                        lastFetchAt: fetched.map(StoreTime.date(millis:)), updatedAt: StoreTime.date(millis: row["updated_at"]),
                        nextAttemptAt: (row["next_attempt_at"] as Int64?).map(StoreTime.date(millis:))
                    )
                }
            }
        }
    }

    // MARK: Helpers

    static let linkColumns = "id, service, version, repository_key, repository_url, ref, mappings, created_at"

    static func link(_ row: Row) throws -> RepositoryLink {
        let version: String = row["version"]
        let mappingsText: String = row["mappings"]
        let mappings: [PathMapping]
        do {
            mappings = try JSONDecoder().decode([PathMapping].self, from: Data(mappingsText.utf8))
        } catch {
            throw StoreError(.corruptData, operation: "repositoryLinks", detail: "path mappings are not valid JSON")
        }
        return RepositoryLink(
            id: row["id"], service: row["service"], version: version.isEmpty ? nil : version, repositoryKey: row["repository_key"],
            repositoryURL: row["repository_url"], ref: row["ref"], mappings: mappings, createdAt: StoreTime.date(millis: row["created_at"])
        )
    }

    static func encodeMappings(_ mappings: [PathMapping]) throws -> String {
        do {
            return String(decoding: try JSONEncoder().encode(mappings), as: UTF8.self)
        } catch {
            throw StoreError(.invalidArgument, operation: "linkRepository", detail: "path mappings cannot be encoded")
        }
    }
}
