import FaultlineCore
import Foundation
import GRDB

/// Scoped API tokens (migration `v8-api-tokens`): the secret is made here, handed out once and kept only
/// as its SHA-256 hash; revoking a token ends its sessions in the same transaction.
extension IssueStore {
    /// Longest token name accepted.
    public static let maxTokenNameLength = 100

    /// Makes a token; the result carries its secret, which the store does not keep.
    public func createToken(name: String, scope: TokenScope, by actor: AuditActor, at date: Date = Date()) async throws -> CreatedAPIToken {
        try requireWritable("createToken")
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= Self.maxTokenNameLength, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw StoreError(.invalidArgument, operation: "createToken", detail: "token name must be 1-\(Self.maxTokenNameLength) characters without control characters")
        }
        let secret = SecretDigest.randomSecret(prefix: "flt_")
        let at = StoreTime.millis(date)
        return try await perform("createToken") { pool in
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO api_token (name, scope, secret_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                    arguments: [name, scope.rawValue, SecretDigest.sha256Hex(secret), at, actor.storedText])
                let token = APIToken(id: db.lastInsertedRowID, name: name, scope: scope, createdAt: StoreTime.date(millis: at), createdBy: actor)
                if actor.kind == .cli {
                    try Self.insertAudit(db, at: at, actor: actor, action: "tokens create \(token.id) (\(name), \(scope.rawValue))", status: nil)
                }
                return CreatedAPIToken(token: token, secret: secret)
            }
        }
    }

    /// Every token, revoked ones too, oldest first.
    public func tokens() async throws -> [APIToken] {
        try await perform("tokens") { pool in
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT \(Self.tokenColumns) FROM api_token ORDER BY id").map { try Self.token($0, operation: "tokens") }
            }
        }
    }

    /// The live token whose secret this is; nil when none is (unknown or revoked). Notes the use, at most once a minute.
    public func token(secret: String, now: Date = Date()) async throws -> APIToken? {
        let hash = SecretDigest.sha256Hex(secret)
        let found = try await perform("token") { pool in
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT \(Self.tokenColumns) FROM api_token WHERE secret_hash = ? AND revoked_at IS NULL", arguments: [hash])
                    .map { try Self.token($0, operation: "token") }
            }
        }
        guard var token = found else { return nil }
        if !configuration.readOnly, token.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            let at = StoreTime.millis(now)
            let id = token.id
            try await perform("token") { pool in
                try await pool.write { db in
                    try db.execute(sql: "UPDATE api_token SET last_used_at = ? WHERE id = ?", arguments: [at, id])
                }
            }
            token.lastUsedAt = StoreTime.date(millis: at)
        }
        return token
    }

    /// Whether any token is live: then the API needs a credential even without a configured api-token.
    public func hasLiveTokens() async throws -> Bool {
        try await perform("hasLiveTokens") { pool in
            try await pool.read { db in
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM api_token WHERE revoked_at IS NULL)") ?? false
            }
        }
    }

    /// Revokes a token and deletes its sessions, at once.
    public func revokeToken(id: Int64, by actor: AuditActor, at date: Date = Date()) async throws -> TokenRevocation {
        try requireWritable("revokeToken")
        let at = StoreTime.millis(date)
        return try await perform("revokeToken") { pool in
            try await pool.write { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.tokenColumns) FROM api_token WHERE id = ?", arguments: [id]) else {
                    return .notFound
                }
                var token = try Self.token(row, operation: "revokeToken")
                if token.revokedAt != nil { return .alreadyRevoked(token) }
                try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE id = ?", arguments: [at, id])
                try db.execute(sql: "DELETE FROM api_session WHERE token_id = ?", arguments: [id])
                if actor.kind == .cli {
                    try Self.insertAudit(db, at: at, actor: actor, action: "tokens revoke \(id) (\(token.name))", status: nil)
                }
                token.revokedAt = StoreTime.date(millis: at)
                return .revoked(token)
            }
        }
    }

    static let tokenColumns = "id, name, scope, created_at, created_by, last_used_at, revoked_at"

    static func token(_ row: Row, operation: String) throws -> APIToken {
        let scopeText: String = row["scope"]
        guard let scope = TokenScope(rawValue: scopeText) else {
            throw StoreError(.corruptData, operation: operation, detail: "unknown token scope")
        }
        let createdBy: String? = row["created_by"]
        let lastUsed: Int64? = row["last_used_at"]
        let revoked: Int64? = row["revoked_at"]
        return APIToken(
            id: row["id"], name: row["name"], scope: scope, createdAt: StoreTime.date(millis: row["created_at"]),
            createdBy: createdBy.flatMap(AuditActor.init(storedText:)),
            lastUsedAt: lastUsed.map(StoreTime.date(millis:)), revokedAt: revoked.map(StoreTime.date(millis:)))
    }
}
