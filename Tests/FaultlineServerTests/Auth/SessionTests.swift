import FaultlineCore
import FaultlineServer
import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Explorer sessions, revocation and actors")
struct SessionTests {
    /// The router test client addresses every request to `localhost`.
    static let ownOrigin: HTTPFields = [.origin: "http://localhost"]

    static func patch(_ client: some TestClientProtocol, issue id: Int64, to status: String, headers: HTTPFields) async throws -> HTTPResponse.Status {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await client.execute(uri: "/api/v1/issues/\(id)", method: .patch, headers: headers, body: ByteBuffer(string: #"{"status": "\#(status)"}"#)) { $0.status }
    }

    static func seed(_ client: some TestClientProtocol) async throws -> FaultlineCore.Issue {
        try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
        let page = try await client.getJSON("/api/v1/issues", as: IssuePageResponse.self, headers: AuthFixture.bearer(AuthFixture.apiToken))
        return try #require(page.issues.first)
    }

    @Test("sign-in sets an HttpOnly SameSite=Strict cookie; cookie changes need the server's own origin; sign-out ends it")
    func cookieSession() async throws {
        let fixture = try await AuthFixture()
        defer { fixture.remove() }
        try await Application(router: fixture.router()).test(.router) { client in
            let issue = try await Self.seed(client)
            try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"token": "wrong"}"#)
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
            }
            let setCookie = try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"token": "\#(AuthFixture.apiToken)"}"#)
            ) { response in
                #expect(response.status == .created)
                let body = try JSONDecoder.test.decode(SessionCreatedResponse.self, from: Data(buffer: response.body))
                #expect(body.session.actor == .apiToken && body.session.scope == .admin)
                #expect(abs(body.session.expiresAt.timeIntervalSince(body.session.createdAt) - 7 * 86400) < 1)
                return response.headers[.setCookie] ?? ""
            }
            let attributes = Set(setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            #expect(attributes.isSuperset(of: ["httponly", "samesite=strict", "path=/", "max-age=2592000"]), "\(setCookie)")
            #expect(!attributes.contains("secure"), "plain http without an https public-url: \(setCookie)")
            let cookie = String(setCookie.split(separator: ";")[0])
            #expect(cookie.hasPrefix("faultline_session=") && !cookie.contains(AuthFixture.apiToken))

            let signedIn: HTTPFields = [.cookie: cookie]
            let state = try await client.getJSON("/api/v1/session", as: SessionStateResponse.self, headers: signedIn)
            #expect(state.authRequired && state.signedIn && state.credential == "session" && state.scope == .admin)
            _ = try await client.getJSON("/api/v1/issues", as: IssuePageResponse.self, headers: signedIn)

            // A cookie-authenticated change without an origin, from another origin or from `null` is refused.
            for extra in [HTTPFields(), [.origin: "http://localhost:9999"], [.origin: "null"], [.origin: "https://localhost"],
                          [.referer: "http://evil.example/page"]] {
                let status = try await Self.patch(client, issue: issue.id, to: "resolved", headers: signedIn.merging(extra))
                #expect(status == .forbidden, "\(extra)")
            }
            let untouched = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self, headers: signedIn)
            #expect(untouched.issue.status == .open)
            // From the server's own origin (or its own page as Referer) it goes through and is recorded as the api-token's.
            #expect(try await Self.patch(client, issue: issue.id, to: "resolved", headers: signedIn.merging(Self.ownOrigin)) == .ok)
            #expect(try await Self.patch(client, issue: issue.id, to: "acknowledged", headers: signedIn.merging([.referer: "http://localhost/#/issues/1"])) == .ok)
            let detail = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self, headers: signedIn)
            #expect(detail.issue.status == .acknowledged)
            #expect(detail.statusHistory.suffix(2).map(\.actor) == [.apiToken, .apiToken])
            // Bearer tokens need no origin: scripts.
            #expect(try await Self.patch(client, issue: issue.id, to: "open", headers: AuthFixture.bearer(AuthFixture.apiToken)) == .ok)

            // Sign-out from another origin is refused; from our own it ends the session at once.
            try await client.execute(uri: "/api/v1/session", method: .delete, headers: signedIn.merging([.origin: "http://evil.example"])) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/session", method: .delete, headers: signedIn.merging(Self.ownOrigin)) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: signedIn) { #expect($0.status == .unauthorized) }
            // A sign-in posted by another origin's page is refused too.
            try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json", .origin: "http://evil.example"],
                body: ByteBuffer(string: #"{"token": "\#(AuthFixture.apiToken)"}"#)
            ) { #expect($0.status == .forbidden) }
        }
    }

    @Test("an https public-url makes the cookie Secure and is the origin accepted")
    func publicURL() async throws {
        let fixture = try await AuthFixture { try? $0.apply(key: "public-url", value: "https://faultline.acme.test/", source: "test") }
        defer { fixture.remove() }
        #expect(fixture.configuration.publicURL?.absoluteString == "https://faultline.acme.test")
        try await Application(router: fixture.router()).test(.router) { client in
            let issue = try await Self.seed(client)
            let setCookie = try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"token": "\#(fixture.secrets[.write] ?? "")"}"#)
            ) { $0.headers[.setCookie] ?? "" }
            #expect(setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.contains("Secure"), "\(setCookie)")
            let cookie: HTTPFields = [.cookie: String(setCookie.split(separator: ";")[0])]
            // The public origin is ours whatever Host the request came with (behind a proxy it is often internal).
            #expect(try await Self.patch(client, issue: issue.id, to: "resolved", headers: cookie.merging([.origin: "https://faultline.acme.test"])) == .ok)
            #expect(try await Self.patch(client, issue: issue.id, to: "open", headers: cookie.merging([.origin: "https://evil.acme.test"])) == .forbidden)
        }
    }

    @Test("revoking a token ends its bearer use and its sessions at once, from the API or the CLI's store")
    func revocation() async throws {
        let fixture = try await AuthFixture()
        defer { fixture.remove() }
        try await Application(router: fixture.router()).test(.router) { client in
            let admin = AuthFixture.bearer(AuthFixture.apiToken).merging([.contentType: "application/json"])
            let created = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: admin, body: ByteBuffer(string: #"{"name": "ci", "scope": "write"}"#)) { response in
                try JSONDecoder.test.decode(TokenCreatedResponse.self, from: Data(buffer: response.body))
            }
            let bearer = AuthFixture.bearer(created.token.secret)
            let cookie: HTTPFields = [.cookie: try await client.signIn(created.token.secret)]
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: bearer) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: cookie) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/tokens/\(created.token.id)", method: .delete, headers: admin) { #expect($0.status == .noContent) }
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: bearer) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: cookie) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"token": "\#(created.token.secret)"}"#)) {
                #expect($0.status == .unauthorized)
            }

            // Revoked through another handle on the store, as `faultline tokens revoke` does while the server runs.
            let readSecret = fixture.secrets[.read] ?? ""
            let readCookie: HTTPFields = [.cookie: try await client.signIn(readSecret)]
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: readCookie) { #expect($0.status == .ok) }
            let other = try StoreOpener.open(dataDirectory: fixture.directory.path)
            let revoked = try await other.revokeToken(id: fixture.tokens[.read]?.id ?? 0, by: .cli)
            guard case .revoked = revoked else { throw TestFailure("not revoked: \(revoked)") }
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: AuthFixture.bearer(readSecret)) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: readCookie) { #expect($0.status == .unauthorized) }

            let tokens = try await client.getJSON("/api/v1/tokens", as: TokenListResponse.self, headers: admin).tokens
            #expect(tokens.first { $0.id == created.token.id }?.revokedAt != nil)
            #expect(tokens.first { $0.id == fixture.tokens[.write]?.id }?.revokedAt == nil)
        }
    }

    @Test("sessions survive a restart; changing the api-token ends the sessions made with it")
    func restart() async throws {
        let fixture = try await AuthFixture()
        defer { fixture.remove() }
        let (apiCookie, tokenCookie) = try await Application(router: fixture.router()).test(.router) { client in
            (try await client.signIn(AuthFixture.apiToken), try await client.signIn(fixture.secrets[.read] ?? ""))
        }
        let reopened = try await StoreOpener.open(configuration: fixture.configuration)
        try await Application(router: buildRouter(fixture.configuration, store: reopened)).test(.router) { client in
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: [.cookie: apiCookie]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: [.cookie: tokenCookie]) { #expect($0.status == .ok) }
        }
        var rotated = fixture.configuration
        rotated.apiToken = "a-new-api-token-after-rotation"
        try await Application(router: buildRouter(rotated, store: reopened)).test(.router) { client in
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: [.cookie: apiCookie]) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: [.cookie: tokenCookie]) { #expect($0.status == .ok) }
        }
    }

    @Test("status history and the audit list name the token that made each change")
    func actors() async throws {
        let fixture = try await AuthFixture()
        defer { fixture.remove() }
        try await Application(router: fixture.router()).test(.router) { client in
            let issue = try await Self.seed(client)
            let write = try #require(fixture.tokens[.write])
            #expect(try await Self.patch(client, issue: issue.id, to: "resolved", headers: AuthFixture.bearer(fixture.secrets[.write] ?? "")) == .ok)
            #expect(try await Self.patch(client, issue: issue.id, to: "ignored", headers: AuthFixture.bearer(fixture.secrets[.read] ?? "")) == .forbidden)
            try await client.execute(uri: "/api/v1/repos/sync?service=checkout&access_token=leaked-value", method: .post, headers: AuthFixture.bearer(fixture.secrets[.write] ?? "")) {
                #expect($0.status == .accepted)
            }
            _ = try await fixture.store.setStatus(issueID: issue.id, to: .acknowledged, actor: .cli)
            let detail = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self, headers: AuthFixture.bearer(AuthFixture.apiToken))
            #expect(detail.statusHistory.map(\.actor) == [nil, .token(id: write.id, name: "write-bot"), .cli])
            #expect(detail.statusHistory.map(\.to) == [.open, .resolved, .acknowledged])
            try await client.execute(uri: "/api/v1/audit", method: .get, headers: AuthFixture.bearer(fixture.secrets[.write] ?? "")) { #expect($0.status == .forbidden) }
            let audit = try await client.getJSON("/api/v1/audit", as: AuditListResponse.self, headers: AuthFixture.bearer(fixture.secrets[.admin] ?? ""))
            let actions = audit.entries.map { "\($0.actor) \($0.action)" }
            #expect(actions.first == "cli issues acknowledged \(issue.id)")
            #expect(actions.contains("token \(write.id) (write-bot) PATCH /api/v1/issues/\(issue.id)"))
            #expect(actions.contains("token \(write.id) (write-bot) POST /api/v1/repos/sync?service=checkout&access_token=…"), "\(actions)")
            #expect(!actions.contains { $0.contains("leaked-value") })
            #expect(!actions.contains { $0.contains("ignored") }, "the refused change is not recorded: \(actions)")
            #expect(actions.filter { $0.hasPrefix("cli tokens create") }.count == 3)
            #expect(audit.entries.first { $0.action.hasPrefix("PATCH") }?.status == 200)
            let page = try await client.getJSON("/api/v1/audit?limit=1", as: AuditListResponse.self, headers: AuthFixture.bearer(AuthFixture.apiToken))
            let cursor = try #require(page.nextCursor)
            let next = try await client.getJSON("/api/v1/audit?limit=1&cursor=\(cursor)", as: AuditListResponse.self, headers: AuthFixture.bearer(AuthFixture.apiToken))
            #expect(next.entries.first?.id == audit.entries.dropFirst().first?.id)
        }
    }
}
