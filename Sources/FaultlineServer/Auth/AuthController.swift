import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Signing in and out of the explorer (`/api/v1/session`), token management (`/api/v1/tokens`, admin) and the
/// audit list (`/api/v1/audit`, admin). Access rules are ``APIAccessMiddleware``'s; this only answers.
struct AuthController<Context: AuthenticatedRequestContext>: Sendable {
    let authenticator: APIAuthenticator
    let cookie: SessionCookie
    let origin: SameOriginCheck

    var store: IssueStore { authenticator.store }

    func addRoutes(to router: Router<Context>) {
        let api = router.group("/api/v1")
        api.get("session") { _, context in
            let required = try await authenticator.credentialsRequired()
            let principal = context.principal
            return try APIController<Context>.json(SessionStateResponse(
                authRequired: required, signedIn: principal != nil,
                credential: principal.map { $0.credential == .bearer ? "bearer" : "session" },
                scope: principal?.scope ?? (required ? nil : .admin), actor: principal?.actor))
        }
        api.post("session") { request, context in
            // A sign-in posted by another site's page would sign the browser in as someone else.
            if origin.verdict(request) == .crossOrigin {
                throw APIError(.forbidden, "sign-in must come from this server's own pages (Origin)")
            }
            var request = request
            let body = try await RepositoryController<Context>.decode(SessionRequest.self, from: &request, example: #"{"token": "…"}"#)
            guard let principal = try await authenticator.principal(forToken: body.token.trimmingCharacters(in: .whitespaces), credential: .session) else {
                throw APIError(.unauthorized, "token is not valid")
            }
            let credential: SessionCredential = principal.actor.kind == .apiToken
                ? .apiToken(authenticator.apiToken ?? "") : .token(id: principal.actor.tokenID ?? 0)
            guard let created = try await store.createSession(for: credential, policy: authenticator.sessionPolicy) else {
                throw APIError(.unauthorized, "token is not valid")
            }
            try await store.recordAudit(actor: principal.actor, action: "POST /api/v1/session", status: 201)
            context.logger.debug("Signed in", metadata: ["auth.actor": "\(principal.actor)"])
            var response = try APIController<Context>.json(SessionCreatedResponse(session: created.session))
            response.status = .created
            response.setCookie(cookie.setting(created.secret))
            return response
        }
        api.delete("session") { request, context in
            if let secret = SessionCookie.secret(in: request), context.principal?.credential == .session {
                // Signing out is a state change made by the cookie: only from our own pages.
                guard origin.verdict(request) == .sameOrigin else {
                    throw APIError(.forbidden, "sign-out must come from this server's own pages (Origin)")
                }
                if try await store.deleteSession(secret: secret) {
                    try await store.recordAudit(actor: context.actor, action: "DELETE /api/v1/session", status: 204)
                }
            }
            var response = Response(status: .noContent)
            response.setCookie(cookie.clearing())
            return response
        }

        api.get("tokens") { _, _ in
            try APIController<Context>.json(TokenListResponse(tokens: try await store.tokens()))
        }
        api.post("tokens") { request, context in
            var request = request
            let body = try await RepositoryController<Context>.decode(TokenCreateRequest.self, from: &request, example: #"{"name": "ci", "scope": "read"}"#)
            guard let scope = TokenScope(rawValue: body.scope.lowercased()) else {
                throw APIError.badRequest("scope must be one of \(TokenScope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let created: CreatedAPIToken
            do {
                created = try await store.createToken(name: body.name, scope: scope, by: context.actor)
            } catch let error as StoreError where error.kind == .invalidArgument {
                throw APIError.badRequest(error.detail)
            }
            var response = try APIController<Context>.json(TokenCreatedResponse(created))
            response.status = .created
            response.headers[.cacheControl] = "no-store"
            return response
        }
        api.delete("tokens/:id") { _, context in
            guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
                throw APIError.badRequest("token id must be a positive integer")
            }
            switch try await store.revokeToken(id: id, by: context.actor) {
            case .notFound: throw APIError.notFound("no token \(id)")
            case .revoked, .alreadyRevoked: return Response(status: .noContent)
            }
        }

        api.get("audit") { request, _ in
            let parameters = APIController<Context>.queryParameters(request)
            let limit = try IssueListRequest.limit(parameters["limit"])
            var before: Int64?
            if let cursor = parameters["cursor"], !cursor.isEmpty {
                guard let value = Int64(cursor), value > 0 else { throw APIError.badRequest("cursor is not valid") }
                before = value
            }
            let page = try await store.auditEntries(limit: limit, before: before)
            return try APIController<Context>.json(AuditListResponse(entries: page.entries, nextCursor: page.nextCursor.map(String.init)))
        }
    }
}
