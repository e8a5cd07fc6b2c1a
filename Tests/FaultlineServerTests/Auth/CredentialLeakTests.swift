import FaultlineServer
import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// No credential — the api-token, a token secret, a session id — shows in debug logs, error bodies,
/// `/info`, exports, token lists or the audit list.
@Suite("No credential leaks")
struct CredentialLeakTests {
    @Test("secrets stay out of debug logs, errors, /info, exports and listings")
    func noLeaks() async throws {
        let fixture = try await AuthFixture { $0.logLevel = "debug" }
        defer { fixture.remove() }
        let capture = LogCapture()
        let app = try await buildApplication(fixture.configuration, logger: capture.logger(level: .debug))
        let secrets = [AuthFixture.apiToken] + TokenScope.allCases.compactMap { fixture.secrets[$0] }
        let (bodies, cookies) = try await app.test(.live) { client -> ([String], [String]) in
            var bodies: [String] = []
            var cookies: [String] = []
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            func record(_ uri: String, _ method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: String? = nil) async throws {
                var headers = headers
                if body != nil { headers[.contentType] = "application/json" }
                let text = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
                    if let setCookie = response.headers[.setCookie] { cookies.append(String(setCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1).last ?? "")) }
                    return String(buffer: response.body)
                }
                bodies.append(text)
            }
            let admin = AuthFixture.bearer(AuthFixture.apiToken)
            // Rejected credentials of every kind, each a secret of the wrong place.
            try await record("/api/v1/issues", headers: [.authorization: "Bearer \(AuthFixture.apiToken)x"])
            try await record("/api/v1/issues", headers: [.authorization: "Basic \(AuthFixture.apiToken)"])
            try await record("/api/v1/tokens", headers: AuthFixture.bearer(fixture.secrets[.read] ?? ""))
            try await record("/api/v1/session", .post, body: #"{"token": "\#(fixture.secrets[.admin] ?? "")x"}"#)
            try await record("/api/v1/session", .post, body: #"{"token": \#(AuthFixture.apiToken)}"#)
            try await record("/api/v1/issues", headers: [.cookie: "faultline_session=\(fixture.secrets[.write] ?? "")"])
            // Accepted ones, and everything that lists or exports.
            try await record("/api/v1/session", .post, body: #"{"token": "\#(fixture.secrets[.admin] ?? "")"}"#)
            let sessionCookie = cookies.last ?? ""
            try await record("/api/v1/issues", headers: [.cookie: "faultline_session=\(sessionCookie)"])
            try await record("/api/v1/session", headers: [.cookie: "faultline_session=\(sessionCookie)"])
            try await record("/api/v1/tokens", .post, headers: admin, body: #"{"name": "made-here", "scope": "read"}"#)
            let madeHere = bodies.last ?? ""
            try await record("/api/v1/tokens", headers: admin)
            try await record("/api/v1/audit", headers: admin)
            try await record("/api/v1/export", headers: admin)
            try await record("/api/v1/export?format=ndjson", headers: AuthFixture.bearer(fixture.secrets[.read] ?? ""))
            try await record("/info")
            try await record("/api/v1/openapi.json")
            let page = try await client.getJSON("/api/v1/issues", as: IssuePageResponse.self, headers: admin)
            let id = try #require(page.issues.first?.id)
            try await record("/api/v1/issues/\(id)", .patch, headers: AuthFixture.bearer(fixture.secrets[.write] ?? ""), body: #"{"status": "resolved"}"#)
            try await record("/api/v1/issues/\(id)", headers: admin)
            // The one body allowed to hold a secret is the POST /api/v1/tokens answer, which carries the new token's own.
            #expect(madeHere.contains(#""secret":"flt_"#))
            bodies.removeAll { $0 == madeHere }
            return (bodies, cookies)
        }
        let logs = capture.all
        #expect(logs.contains { $0.contains("/api/v1/issues") }, "the debug request log was captured")
        #expect(cookies.count == 1)
        for secret in secrets + cookies where !secret.isEmpty {
            for line in logs { #expect(!line.contains(secret), "a log line holds a secret: \(line)") }
            for body in bodies { #expect(!body.contains(secret), "a response holds a secret: \(body.prefix(300))") }
        }
        #expect(!fixture.configuration.description.contains(AuthFixture.apiToken))
        // The store keeps no secret either: only hashes.
        let database = try Data(contentsOf: fixture.directory.appendingPathComponent("faultline.sqlite"))
        let wal = (try? Data(contentsOf: fixture.directory.appendingPathComponent("faultline.sqlite-wal"))) ?? Data()
        for secret in secrets + cookies where !secret.isEmpty {
            #expect(database.range(of: Data(secret.utf8)) == nil && wal.range(of: Data(secret.utf8)) == nil, "the database holds a secret")
        }
    }
}
