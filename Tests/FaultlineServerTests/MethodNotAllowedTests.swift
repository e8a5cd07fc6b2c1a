import FaultlineServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A known path with a method it does not answer gets 405, an `Allow` header and a JSON reason.
@Suite("Method not allowed")
struct MethodNotAllowedTests {
    static let cases: [(HTTPRequest.Method, String, String)] = [
        (.head, "/api/v1/issues", "GET"),
        (.delete, "/api/v1/issues", "GET"),
        (.post, "/api/v1/issues/7", "GET, PATCH"),
        (.head, "/api/v1/issues/7/events", "GET"),
        (.get, "/v0.4/traces", "POST, PUT"),
        (.delete, "/v0.5/traces", "POST, PUT"),
        (.get, "/v1/traces", "POST"),
        (.post, "/api/v1/openapi.json", "GET"),
        (.put, "/metrics", "GET"),
        (.head, "/healthz", "GET"),
        (.post, "/readyz", "GET"),
    ]

    @Test("wrong methods answer 405 with Allow", arguments: cases)
    func wrongMethod(_ method: HTTPRequest.Method, _ path: String, _ allowed: String) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.execute(uri: path, method: method) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == allowed)
                if method != .head {
                    let body = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
                    #expect(body["error"] == "method \(method.rawValue) is not allowed here; allowed: \(allowed)")
                }
            }
        }
    }

    @Test("unknown paths still answer 404, and the explorer still answers GET and HEAD")
    func othersUnchanged() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/nothing-here", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/issues/7/nothing", method: .post) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/", method: .head) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/issues", method: .get) { #expect($0.status == .ok) }
        }
    }
}
