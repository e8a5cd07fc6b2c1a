import FaultlineServer
import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Each credential against each `/api/v1` route the router has: the table must name every route, so a route
/// added later fails here until someone decides what it needs.
@Suite("API scopes against every route")
struct APIScopeTableTests {
    /// What each route needs: nil = open to anyone.
    static let table: [String: TokenScope?] = [
        "GET /api/v1/openapi.json": nil,
        "GET /api/v1/session": nil,
        "POST /api/v1/session": nil,
        "DELETE /api/v1/session": nil,
        "GET /api/v1/issues": .read,
        "GET /api/v1/issues/{id}": .read,
        "PATCH /api/v1/issues/{id}": .write,
        "GET /api/v1/issues/{id}/events": .read,
        "GET /api/v1/services": .read,
        "GET /api/v1/facets": .read,
        "GET /api/v1/export": .read,
        "GET /api/v1/repos": .read,
        "POST /api/v1/repos": .write,
        "DELETE /api/v1/repos": .write,
        "POST /api/v1/repos/sync": .write,
        "GET /api/v1/issues/{id}/notifications": .read,
        "GET /api/v1/monitors": .read,
        "POST /api/v1/monitors": .write,
        "GET /api/v1/monitors/{id}": .read,
        "PATCH /api/v1/monitors/{id}": .write,
        "DELETE /api/v1/monitors/{id}": .write,
        "POST /api/v1/monitors/{id}/test": .write,
        "GET /api/v1/monitors/{id}/deliveries": .read,
        "GET /api/v1/tokens": .admin,
        "POST /api/v1/tokens": .admin,
        "DELETE /api/v1/tokens/{id}": .admin,
        "GET /api/v1/audit": .admin,
    ]

    enum Credential: CustomStringConvertible {
        case none
        case invalidBearer
        case token(TokenScope)
        case apiToken

        var description: String {
            switch self {
            case .none: "no credential"
            case .invalidBearer: "an invalid bearer token"
            case .token(let scope): "a \(scope.rawValue) token"
            case .apiToken: "the api-token"
            }
        }

        /// What the credential may do; nil when it authenticates nothing.
        var scope: TokenScope? {
            switch self {
            case .none, .invalidBearer: nil
            case .token(let scope): scope
            case .apiToken: .admin
            }
        }
    }

    @Test("every credential gets 401, 403 or through, as its scope and the route's need say")
    func scopeTable() async throws {
        let fixture = try await AuthFixture()
        defer { fixture.remove() }
        let router = fixture.router()
        let routes = router.routes.map { route -> (method: HTTPRequest.Method, path: String) in
            let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return (route.method, "/" + path)
        }.filter { $0.path.hasPrefix("/api/v1/") }
        let routed = Set(routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(routed == Set(Self.table.keys), "routes without an entry: \(routed.subtracting(Self.table.keys).sorted()); entries without a route: \(Set(Self.table.keys).subtracting(routed).sorted())")

        let credentials: [Credential] = [.none, .invalidBearer, .token(.read), .token(.write), .token(.admin), .apiToken]
        let app = Application(router: router)
        try await app.test(.router) { client in
            for route in routes.sorted(by: { "\($0.method) \($0.path)" < "\($1.method) \($1.path)" }) {
                let key = "\(route.method.rawValue) \(route.path)"
                guard let needed = Self.table[key] else { continue }
                // Ids nothing has, bodies that fail validation: allowed requests answer 2xx or 4xx of their own, and change nothing.
                let uri = route.path.replacingOccurrences(of: "{id}", with: "999999")
                for credential in credentials {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    switch credential {
                    case .none: break
                    case .invalidBearer: headers[.authorization] = "Bearer flt_not-a-token"
                    case .token(let scope): headers[.authorization] = "Bearer \(fixture.secrets[scope] ?? "")"
                    case .apiToken: headers[.authorization] = "Bearer \(AuthFixture.apiToken)"
                    }
                    let body = route.method == .get || route.method == .delete ? nil : ByteBuffer(string: "{}")
                    try await client.execute(uri: uri, method: route.method, headers: headers, body: body) { response in
                        let status = response.status.code
                        let text = String(buffer: response.body)
                        guard let needed else {
                            #expect(status != 401 && status != 403, "\(key) with \(credential): \(status) \(text)")
                            return
                        }
                        guard let scope = credential.scope else {
                            #expect(status == 401, "\(key) with \(credential): \(status) \(text)")
                            #expect(text.contains(#""error""#))
                            return
                        }
                        if scope.covers(needed) {
                            #expect(status != 401 && status != 403, "\(key) with \(credential): \(status) \(text)")
                        } else {
                            #expect(status == 403, "\(key) with \(credential): \(status) \(text)")
                            #expect(text.contains("needs \(needed.rawValue)"), "\(key): \(text)")
                        }
                    }
                }
            }
            // Spellings the router might match differently are held to the same rule, or refused.
            let write = AuthFixture.bearer(fixture.secrets[.write] ?? "")
            for uri in ["/api/v1//tokens", "/API/v1/tokens", "/api/v1/%74okens", "/api/v1/Tokens/"] {
                try await client.execute(uri: uri, method: .get, headers: write) { response in
                    #expect(response.status == .forbidden, "\(uri): \(response.status.code)")
                }
            }
            try await client.execute(uri: "/api/v1/issues/../tokens", method: .get, headers: write) { response in
                #expect(response.status == .badRequest || response.status == .forbidden)
            }
            // Intake keys stay separate: an API token is no intake key, and intake needs none unless configured.
            try await client.execute(uri: "/info", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("with no api-token and no live token the API is open, and the first token closes it")
    func openUntilTheFirstToken() async throws {
        let directory = try TestEnvironment.temporaryDirectory("faultline-auth")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = TestServer.configuration(dataDirectory: directory)
        let store = try await StoreOpener.open(configuration: configuration)
        let app = Application(router: buildRouter(configuration, store: store))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/issues", method: .get) { #expect($0.status == .ok) }
            let created = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name": "first", "scope": "admin"}"#)
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[.cacheControl] == "no-store")
                return try JSONDecoder.test.decode(TokenCreatedResponse.self, from: Data(buffer: response.body))
            }
            #expect(created.token.scope == .admin && created.token.name == "first" && created.token.secret.hasPrefix("flt_"))
            try await client.execute(uri: "/api/v1/issues", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: AuthFixture.bearer(created.token.secret)) { #expect($0.status == .ok) }
            // The secret is not kept: listing shows the token, never the secret.
            try await client.execute(uri: "/api/v1/tokens", method: .get, headers: AuthFixture.bearer(created.token.secret)) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#""name":"first""#) && !text.contains(created.token.secret))
            }
        }
    }

    @Test("token requests are validated with a reason")
    func tokenValidation() async throws {
        let fixture = try await AuthFixture()
        defer { fixture.remove() }
        try await Application(router: fixture.router()).test(.router) { client in
            let admin = AuthFixture.bearer(AuthFixture.apiToken).merging([.contentType: "application/json"])
            for (body, reason) in [
                (#"{"name": "x", "scope": "root"}"#, "scope must be one of read, write, admin"),
                (#"{"name": "", "scope": "read"}"#, "token name must be"),
                (#"{"name": "\#(String(repeating: "n", count: 101))", "scope": "read"}"#, "token name must be"),
                (#"{"scope": "read"}"#, "body must be a JSON object"),
            ] {
                try await client.execute(uri: "/api/v1/tokens", method: .post, headers: admin, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains(reason), "\(String(buffer: response.body))")
                }
            }
            try await client.execute(uri: "/api/v1/tokens/abc", method: .delete, headers: admin) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/v1/tokens/424242", method: .delete, headers: admin) { #expect($0.status == .notFound) }
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}
