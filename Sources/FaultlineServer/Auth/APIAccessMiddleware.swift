import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Guards everything under `/api/v1`, routes added later included (it runs before route matching):
/// authenticates the request (401 when a credential is needed and missing or not valid), checks the
/// credential's scope against ``APIAccessPolicy`` (403 beyond it), refuses cookie-authenticated state
/// changes from other origins (403), and adds every accepted state change to the audit list with its actor.
struct APIAccessMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    let authenticator: APIAuthenticator
    let origin: SameOriginCheck

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requirement = APIAccessPolicy.requirement(method: request.method, path: request.uri.path)
        let needed: TokenScope
        switch requirement {
        case .notAPI:
            return try await next(request, context)
        case .malformed:
            throw APIError.badRequest("path must not contain '.' or '..' segments or invalid escapes")
        case .open:
            var context = context
            if case .authenticated(let principal) = try await authenticator.authenticate(request) {
                context.principal = principal
            }
            return try await next(request, context)
        case .scope(let scope):
            needed = scope
        }
        var context = context
        let principal: Principal
        let outcome = try await authenticator.authenticate(request)
        switch outcome {
        case .authenticated(let found):
            principal = found
        case .rejected(let reason):
            context.logger.debug("API credential rejected", metadata: ["http.path": "\(request.uri.path)", "auth.reason": "\(reason)"])
            throw Self.unauthorized(reason)
        case .absent, .staleSession:
            // A left-over cookie (another server on this host, a session since ended) is no credential at all
            // when none is needed; when one is, the explorer signs in again.
            guard try await !authenticator.credentialsRequired() else {
                if case .staleSession = outcome { throw Self.unauthorized("session has ended: sign in again") }
                throw Self.unauthorized("missing credentials: send Authorization: Bearer <token> or sign in")
            }
            principal = Principal(actor: .anonymous, scope: .admin, credential: .none)
        }
        guard principal.scope.covers(needed) else {
            context.logger.debug("API scope too narrow", metadata: ["auth.actor": "\(principal.actor)", "auth.scope": "\(principal.scope.rawValue)"])
            throw APIError(.forbidden, "this token's scope is \(principal.scope.rawValue); \(request.method.rawValue) \(request.uri.path) needs \(needed.rawValue)")
        }
        let changesState = request.method != .get && request.method != .head
        if changesState, principal.credential == .session, origin.verdict(request) != .sameOrigin {
            throw APIError(.forbidden, "a signed-in request that changes state must come from this server's own pages (Origin; behind an https proxy set public-url)")
        }
        context.principal = principal
        let response = try await next(request, context)
        if changesState, response.status.code < 400 {
            do {
                try await authenticator.store.recordAudit(actor: principal.actor, action: Self.action(request), status: response.status.code)
            } catch {
                context.logger.error("Audit entry not recorded", metadata: ["http.path": "\(request.uri.path)", "error.type": "\(type(of: error))"])
            }
        }
        return response
    }

    /// `METHOD /path?query` as the audit list shows it, with the values of parameters whose names suggest a
    /// credential left out (the API takes none in the query, but a client may send one anyway).
    static func action(_ request: Request) -> String {
        var action = "\(request.method.rawValue) \(request.uri.path)"
        guard let query = request.uri.query, !query.isEmpty else { return action }
        let secretish = ["token", "secret", "key", "password", "auth", "session", "cookie"]
        let fields = query.split(separator: "&").map { field -> String in
            let name = field.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return secretish.contains { name.lowercased().contains($0) } ? "\(name)=…" : String(field)
        }
        action += "?" + fields.joined(separator: "&")
        return String(action.prefix(1000))
    }

    static func unauthorized(_ reason: String) -> APIError {
        APIError(.unauthorized, reason)
    }
}
