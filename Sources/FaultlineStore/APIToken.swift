import Foundation

/// A stored API token: everything but its secret, of which the store keeps only a SHA-256 hash.
public struct APIToken: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var scope: TokenScope
    public var createdAt: Date
    /// Who made it.
    public var createdBy: AuditActor?
    /// When it last authenticated a request (updated at most once a minute).
    public var lastUsedAt: Date?
    /// When it was revoked; a revoked token authenticates nothing and its sessions are gone.
    public var revokedAt: Date?

    public init(id: Int64, name: String, scope: TokenScope, createdAt: Date, createdBy: AuditActor? = nil, lastUsedAt: Date? = nil, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.scope = scope
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    public var actor: AuditActor { .token(id: id, name: name) }
}

/// A token just made, with its secret: the only time the secret exists outside the client.
public struct CreatedAPIToken: Sendable, Hashable {
    public var token: APIToken
    public var secret: String
}

/// What revoking a token did.
public enum TokenRevocation: Sendable, Hashable {
    case revoked(APIToken)
    case alreadyRevoked(APIToken)
    case notFound
}
