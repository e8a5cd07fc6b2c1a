import Foundation

/// How long explorer sessions last: ended after `idleTimeout` without a request, and `lifetime` after sign-in in any case.
public struct SessionPolicy: Sendable, Hashable {
    public var idleTimeout: TimeInterval
    public var lifetime: TimeInterval

    public init(idleTimeout: TimeInterval = 7 * 24 * 3600, lifetime: TimeInterval = 30 * 24 * 3600) {
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
    }
}

/// The credential a session was made with: a stored token, or the configured `api-token` (whose value the
/// session is bound to, so changing the setting ends its sessions).
public enum SessionCredential: Sendable, Hashable {
    case token(id: Int64)
    case apiToken(String)
}

/// A signed-in explorer session, as the store knows it (its id only as a hash).
public struct APISession: Sendable, Hashable, Codable {
    public var actor: AuditActor
    public var scope: TokenScope
    public var createdAt: Date
    public var lastSeenAt: Date
    /// When it ends unless used again (idle), capped by its lifetime.
    public var expiresAt: Date

    public init(actor: AuditActor, scope: TokenScope, createdAt: Date, lastSeenAt: Date, expiresAt: Date) {
        self.actor = actor
        self.scope = scope
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
    }
}

/// A session just made, with the secret for its cookie.
public struct CreatedAPISession: Sendable, Hashable {
    public var session: APISession
    public var secret: String
}
