import FaultlineCore
import Foundation
import GRDB

/// The commit a link's branch or tag named when a service version was first enriched, kept for that version.
public struct VersionPin: Sendable, Hashable, Codable {
    public var service: String
    /// nil: events that name no version.
    public var version: String?
    public var repositoryKey: String
    /// The branch or tag of the link (`main`, `v2.3.0`).
    public var ref: String
    /// Full SHA the ref named at `pinnedAt`.
    public var commitSHA: String
    public var pinnedAt: Date

    public init(service: String, version: String?, repositoryKey: String, ref: String, commitSHA: String, pinnedAt: Date = Date()) {
        self.service = service
        self.version = version
        self.repositoryKey = repositoryKey
        self.ref = ref
        self.commitSHA = commitSHA
        self.pinnedAt = pinnedAt
    }
}

extension IssueStore {
    /// The pin of (service, version, repository, ref), if the version was pinned.
    public func versionPin(service: String, version: String?, repositoryKey: String, ref: String) async throws -> VersionPin? {
        try await perform("versionPin") { pool in
            try await pool.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT * FROM version_pin WHERE service = ? AND version = ? AND repository_key = ? AND ref = ?",
                    arguments: [service, version ?? "", repositoryKey, ref]
                ).map(Self.pin)
            }
        }
    }

    /// Pins `pin`'s version to its commit unless it is pinned already; returns the pin that holds (the first).
    public func pinVersion(_ pin: VersionPin) async throws -> VersionPin {
        try requireWritable("pinVersion")
        return try await perform("pinVersion") { pool in
            try await pool.write { db in
                let key: [any DatabaseValueConvertible] = [pin.service, pin.version ?? "", pin.repositoryKey, pin.ref]
                try db.execute(
                    sql: """
                        INSERT INTO version_pin (service, version, repository_key, ref, commit_sha, pinned_at) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT DO NOTHING
                        """,
                    arguments: StatementArguments(key + [pin.commitSHA, StoreTime.millis(pin.pinnedAt)])
                )
                guard let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM version_pin WHERE service = ? AND version = ? AND repository_key = ? AND ref = ?",
                    arguments: StatementArguments(key)
                ) else {
                    throw StoreError(.corruptData, operation: "pinVersion", detail: "the pin just written is missing")
                }
                return Self.pin(row)
            }
        }
    }

    /// Every pin, by service, version and ref.
    public func versionPins() async throws -> [VersionPin] {
        try await perform("versionPins") { pool in
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM version_pin ORDER BY service, version, ref").map(Self.pin)
            }
        }
    }

    /// When `repos sync` last asked the server to retry failed mirrors at once; nil if never.
    public func syncRequestedAt() async throws -> Date? {
        try await perform("syncRequestedAt") { pool in
            try await pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT requested_at FROM sync_request WHERE id = 1").map(StoreTime.date(millis:))
            }
        }
    }

    static func pin(_ row: Row) -> VersionPin {
        let version: String = row["version"]
        return VersionPin(
            service: row["service"], version: version.isEmpty ? nil : version, repositoryKey: row["repository_key"],
            ref: row["ref"], commitSHA: row["commit_sha"], pinnedAt: StoreTime.date(millis: row["pinned_at"])
        )
    }
}
