import FaultlineStore
import Foundation

/// `GET /api/v1/session`: whether the API needs a credential, and who this request is.
public struct SessionStateResponse: Codable, Sendable, Hashable {
    public var authRequired: Bool
    public var signedIn: Bool
    /// `bearer`, `session`, or absent.
    public var credential: String?
    public var scope: TokenScope?
    public var actor: AuditActor?
}

/// `POST /api/v1/session` → 201.
public struct SessionCreatedResponse: Codable, Sendable, Hashable {
    public var session: APISession
}

/// `POST /api/v1/session` body.
struct SessionRequest: Decodable {
    var token: String
}

/// `POST /api/v1/tokens` body.
struct TokenCreateRequest: Decodable {
    var name: String
    var scope: String
}

/// `POST /api/v1/tokens` → 201: the one answer that carries the secret.
public struct TokenCreatedResponse: Codable, Sendable, Hashable {
    public struct Token: Codable, Sendable, Hashable {
        public var id: Int64
        public var name: String
        public var scope: TokenScope
        public var secret: String
        public var createdAt: Date

        public init(id: Int64, name: String, scope: TokenScope, secret: String, createdAt: Date) {
            self.id = id
            self.name = name
            self.scope = scope
            self.secret = secret
            self.createdAt = createdAt
        }
    }

    public var token: Token

    public init(_ created: CreatedAPIToken) {
        token = Token(id: created.token.id, name: created.token.name, scope: created.token.scope, secret: created.secret, createdAt: created.token.createdAt)
    }
}

/// `GET /api/v1/tokens`.
public struct TokenListResponse: Codable, Sendable, Hashable {
    public var tokens: [APIToken]

    public init(tokens: [APIToken]) {
        self.tokens = tokens
    }
}

/// `GET /api/v1/audit`.
public struct AuditListResponse: Codable, Sendable, Hashable {
    public var entries: [AuditEntry]
    public var nextCursor: String?
}
