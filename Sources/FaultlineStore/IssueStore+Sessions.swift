import FaultlineCore
import Foundation
import GRDB

/// Explorer sessions (migration `v8-api-tokens`): the cookie holds a random id, the store its SHA-256 hash,
/// so a copy of the database signs nobody in; sessions survive a restart and end with their token.
extension IssueStore {
    /// Signs in: a new session for a token (which must be live) or for the configured api-token.
    /// nil when the token is unknown or revoked.
    public func createSession(for credential: SessionCredential, policy: SessionPolicy = SessionPolicy(), now: Date = Date()) async throws -> CreatedAPISession? {
        try requireWritable("createSession")
        let secret = SecretDigest.randomSecret(prefix: "")
        let at = StoreTime.millis(now)
        return try await perform("createSession") { pool in
            try await pool.write { db -> CreatedAPISession? in
                // Sessions past their time are dropped as new ones are made.
                try db.execute(
                    sql: "DELETE FROM api_session WHERE created_at < ? OR last_seen_at < ?",
                    arguments: [at - Int64(policy.lifetime * 1000), at - Int64(policy.idleTimeout * 1000)])
                let actor: AuditActor
                let scope: TokenScope
                switch credential {
                case .token(let id):
                    guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.tokenColumns) FROM api_token WHERE id = ? AND revoked_at IS NULL", arguments: [id]) else {
                        return nil
                    }
                    let token = try Self.token(row, operation: "createSession")
                    actor = token.actor
                    scope = token.scope
                    try db.execute(
                        sql: "INSERT INTO api_session (id_hash, token_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
                        arguments: [SecretDigest.sha256Hex(secret), id, at, at])
                case .apiToken(let value):
                    actor = .apiToken
                    scope = .admin
                    try db.execute(
                        sql: "INSERT INTO api_session (id_hash, api_token_binding, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
                        arguments: [SecretDigest.sha256Hex(secret), Self.binding(session: secret, apiToken: value), at, at])
                }
                let created = StoreTime.date(millis: at)
                let session = APISession(actor: actor, scope: scope, createdAt: created, lastSeenAt: created, expiresAt: Self.expiry(created: created, lastSeen: created, policy: policy))
                return CreatedAPISession(session: session, secret: secret)
            }
        }
    }

    /// The live session with this cookie id: its token live, or bound to the api-token configured now
    /// (`apiToken`), neither idle nor older than the policy allows. Notes the use, at most once a minute.
    public func session(secret: String, apiToken: String?, policy: SessionPolicy = SessionPolicy(), now: Date = Date()) async throws -> APISession? {
        let hash = SecretDigest.sha256Hex(secret)
        let found = try await perform("session") { pool in
            try await pool.read { db -> APISession? in
                guard let row = try Row.fetchOne(db, sql: "SELECT token_id, api_token_binding, created_at, last_seen_at FROM api_session WHERE id_hash = ?", arguments: [hash]) else {
                    return nil
                }
                let created = StoreTime.date(millis: row["created_at"])
                let lastSeen = StoreTime.date(millis: row["last_seen_at"])
                let tokenID: Int64? = row["token_id"]
                let actor: AuditActor
                let scope: TokenScope
                if let tokenID {
                    guard let tokenRow = try Row.fetchOne(db, sql: "SELECT \(Self.tokenColumns) FROM api_token WHERE id = ? AND revoked_at IS NULL", arguments: [tokenID]) else {
                        return nil
                    }
                    let token = try Self.token(tokenRow, operation: "session")
                    actor = token.actor
                    scope = token.scope
                } else {
                    let binding: String? = row["api_token_binding"]
                    guard let apiToken, let binding, binding == Self.binding(session: secret, apiToken: apiToken) else { return nil }
                    actor = .apiToken
                    scope = .admin
                }
                return APISession(actor: actor, scope: scope, createdAt: created, lastSeenAt: lastSeen, expiresAt: Self.expiry(created: created, lastSeen: lastSeen, policy: policy))
            }
        }
        guard var session = found, session.expiresAt > now else { return nil }
        if !configuration.readOnly, now.timeIntervalSince(session.lastSeenAt) >= 60 {
            let at = StoreTime.millis(now)
            try await perform("session") { pool in
                try await pool.write { db in
                    try db.execute(sql: "UPDATE api_session SET last_seen_at = ? WHERE id_hash = ?", arguments: [at, hash])
                }
            }
            session.lastSeenAt = StoreTime.date(millis: at)
            session.expiresAt = Self.expiry(created: session.createdAt, lastSeen: session.lastSeenAt, policy: policy)
        }
        return session
    }

    /// Signs out: deletes the session with this cookie id; false when there was none.
    @discardableResult
    public func deleteSession(secret: String) async throws -> Bool {
        try requireWritable("deleteSession")
        let hash = SecretDigest.sha256Hex(secret)
        return try await perform("deleteSession") { pool in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM api_session WHERE id_hash = ?", arguments: [hash])
                return db.changesCount > 0
            }
        }
    }

    static func expiry(created: Date, lastSeen: Date, policy: SessionPolicy) -> Date {
        min(created.addingTimeInterval(policy.lifetime), lastSeen.addingTimeInterval(policy.idleTimeout))
    }

    /// Ties a session to the api-token's value without keeping a hash of that value alone (a short
    /// configured token could be guessed from one); the session id is the key nobody but the browser has.
    static func binding(session secret: String, apiToken: String) -> String {
        SecretDigest.sha256Hex("faultline-session\n\(secret)\n\(apiToken)")
    }
}
