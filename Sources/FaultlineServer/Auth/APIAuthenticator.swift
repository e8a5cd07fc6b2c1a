import FaultlineStore
import Foundation
import Hummingbird

/// Turns a request's credential into a principal: a bearer token (the configured `api-token`, an admin token,
/// or a stored token) or the explorer's session cookie. Secrets are compared, hashed and dropped; none is logged.
struct APIAuthenticator: Sendable {
    let store: IssueStore
    let apiToken: String?
    let sessionPolicy: SessionPolicy

    enum Outcome: Sendable {
        case authenticated(Principal)
        /// A credential was sent and is not valid: the reason says which kind, never its value.
        case rejected(String)
        /// A session cookie that is no longer valid (signed out, expired, its token revoked).
        case staleSession
        /// No credential sent.
        case absent
    }

    /// Whether requests need a credential: an api-token is configured or a token is live.
    func credentialsRequired() async throws -> Bool {
        if apiToken != nil { return true }
        return try await store.hasLiveTokens()
    }

    func authenticate(_ request: Request) async throws -> Outcome {
        if let header = request.headers[.authorization] {
            let prefix = "bearer "
            guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else {
                return .rejected("Authorization must use the Bearer scheme")
            }
            let secret = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            guard let principal = try await principal(forToken: secret, credential: .bearer) else {
                return .rejected("bearer token is not valid")
            }
            return .authenticated(principal)
        }
        if let secret = SessionCookie.secret(in: request) {
            guard let session = try await store.session(secret: secret, apiToken: apiToken, policy: sessionPolicy) else {
                return .staleSession
            }
            return .authenticated(Principal(actor: session.actor, scope: session.scope, credential: .session))
        }
        return .absent
    }

    /// The principal a token secret stands for: the configured api-token (admin) or a live stored token.
    func principal(forToken secret: String, credential: Principal.Credential) async throws -> Principal? {
        guard !secret.isEmpty else { return nil }
        if let apiToken, SecretComparison.equal(secret, apiToken) {
            return Principal(actor: .apiToken, scope: .admin, credential: credential)
        }
        guard let token = try await store.token(secret: secret) else { return nil }
        return Principal(actor: token.actor, scope: token.scope, credential: credential)
    }
}

/// Compares secrets in time independent of where they first differ.
enum SecretComparison {
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
