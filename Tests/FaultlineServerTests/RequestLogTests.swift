import FaultlineServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Every answer carries a request id that the log lines of its request carry too; the debug request log
/// never records a credential, and nor do `/metrics`, `/healthz`, `/readyz` or `/info`.
@Suite("Request log")
struct RequestLogTests {
    static let apiToken = "api-SECRET-4d9c1f0e7b2a"
    static let intakeKey = "intake-SECRET-8e3a5b1c9d0f"
    static let gitToken = "git-SECRET-6f2e9a4c1b7d"
    static let queryToken = "query-SECRET-3c8b0d5e2a9f"
    /// A bare secret under an innocent name: redacted for its shape.
    static let bareSecret = "sk9A8b7C6d5E4f3G2h1I0jKlMnOp"
    static var secrets: [String] { [apiToken, intakeKey, gitToken, queryToken, bareSecret] }

    static func configuration(_ directory: URL) -> ServerConfiguration {
        TestServer.configuration(dataDirectory: directory) { configuration in
            configuration.logLevel = "debug"
            configuration.apiToken = apiToken
            configuration.intakeAPIKey = intakeKey
            configuration.gitToken = gitToken
        }
    }

    @Test("no credential in debug logs, /metrics, /healthz, /readyz or /info; query values of credentials are redacted")
    func noCredentialAnywhere() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let logs = CapturedLogs()
        let app = try await buildApplication(Self.configuration(directory), logger: logs.logger())
        let bodies = LineSink()
        try await app.test(.router) { client in
            let bearer: HTTPFields = [.authorization: "Bearer \(Self.apiToken)"]
            try await client.execute(
                uri: "/api/v1/issues?q=service:checkout&token=\(Self.queryToken)&cursor=\(Self.bareSecret)", method: .get, headers: bearer
            ) { response in
                // The cursor is not one of ours: a 400, and the request is logged all the same.
                bodies.append(String(buffer: response.body))
            }
            try await client.execute(uri: "/api/v1/issues?api_key=\(Self.apiToken)", method: .get) { response in
                #expect(response.status == .unauthorized)
                bodies.append(String(buffer: response.body))
            }
            // An intake key is no API token: refused like any unknown credential.
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: [.authorization: "Bearer \(Self.intakeKey)"]) { response in
                #expect(response.status == .unauthorized)
                bodies.append(String(buffer: response.body))
            }
            let intakeKeyHeader = try #require(HTTPField.Name("DD-API-KEY"))
            try await client.execute(
                uri: "/v0.5/traces", method: .put, headers: [.contentType: "application/msgpack", intakeKeyHeader: Self.intakeKey],
                body: ByteBuffer(bytes: try TestEnvironment.fixtureBytes("ddtrace-python-v05.msgpack"))
            ) { response in
                #expect(response.status == .ok)
            }
            for path in ["/metrics", "/healthz", "/readyz", "/info", "/api/v1/issues?password=\(Self.gitToken)"] {
                try await client.execute(uri: path, method: .get, headers: bearer) { response in
                    #expect(response.status == .ok, "\(path)")
                    bodies.append(String(buffer: response.body))
                }
            }
        }
        let lines = logs.entries.map(\.line)
        #expect(lines.count > 10)
        for secret in Self.secrets {
            for line in lines {
                #expect(!line.contains(secret), "log line carries a credential: \(line)")
            }
            for body in bodies.lines {
                #expect(!body.contains(secret), "answer carries a credential")
            }
        }
        let queries = logs.entries.filter { $0.message == "Request" }.compactMap { $0.metadata["http.query"] }
        #expect(queries.contains("q=service:checkout&token=REDACTED&cursor=REDACTED"))
        #expect(queries.contains("api_key=REDACTED"))
        #expect(queries.contains("password=REDACTED"))
        let paths = logs.entries.filter { $0.message == "Request" }.compactMap { $0.metadata["http.path"] }
        #expect(paths.allSatisfy { !$0.contains("?") })
    }

    @Test("each answer carries x-request-id, and that request's log lines carry the same id")
    func requestIDs() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let logs = CapturedLogs()
        let app = try await buildApplication(TestServer.configuration(dataDirectory: directory) { $0.logLevel = "debug" }, logger: logs.logger())
        let requestID = try #require(HTTPField.Name("x-request-id"))
        try await app.test(.router) { client in
            let generated = try await client.execute(uri: "/api/v1/issues", method: .get) { response in
                #expect(response.status == .ok)
                return try #require(response.headers[requestID])
            }
            let other = try await client.execute(uri: "/healthz", method: .get) { try #require($0.headers[requestID]) }
            #expect(generated != other)
            let entries = logs.entries.filter { $0.metadata["hb.request.id"] == generated }
            #expect(entries.map(\.message).contains("Request"))
            #expect(entries.map(\.message).contains("Response"))
            #expect(entries.first { $0.message == "Request" }?.metadata["http.path"] == "/api/v1/issues")

            // A caller's own id is kept when it is plain, replaced when it is not; errors carry it too.
            try await client.execute(uri: "/api/v1/issues/0", method: .get, headers: [requestID: "trace-4bf92f3577b34da6.a3ce929d0e0e4736"]) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[requestID] == "trace-4bf92f3577b34da6.a3ce929d0e0e4736")
            }
            #expect(logs.entries.contains { $0.metadata["hb.request.id"] == "trace-4bf92f3577b34da6.a3ce929d0e0e4736" })
            try await client.execute(uri: "/nowhere", method: .get, headers: [requestID: "two words\u{7F}"]) { response in
                #expect(response.status == .notFound)
                let echoed = try #require(response.headers[requestID])
                #expect(echoed != "two words\u{7F}" && !echoed.isEmpty)
            }
        }
    }

    @Test("log-format json writes one JSON object per line with the request id")
    func jsonLines() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let lines = LineSink()
        var logger = Logger(label: "faultline") { label in JSONLogHandler(label: label, sink: lines.append) }
        logger.logLevel = .debug
        let configuration = TestServer.configuration(dataDirectory: directory) {
            $0.logLevel = "debug"
            $0.logFormat = .json
        }
        let app = try await buildApplication(configuration, logger: logger)
        let requestID = try #require(HTTPField.Name("x-request-id"))
        let id = try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/issues?q=status:open", method: .get) { try #require($0.headers[requestID]) }
        }
        let objects = try lines.lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
        #expect(!lines.lines.contains { $0.contains("\n") })
        let request = try #require(objects.first { $0["message"] as? String == "Request" && $0["hb.request.id"] as? String == id })
        #expect(request["level"] as? String == "debug")
        #expect(request["label"] as? String == "faultline")
        #expect(request["http.path"] as? String == "/api/v1/issues")
        #expect(request["http.query"] as? String == "q=status:open")
        let timestamp = try #require(request["timestamp"] as? String)
        #expect(try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(timestamp) <= Date())
        #expect(objects.contains { $0["message"] as? String == "Starting Faultline" && $0["level"] as? String == "info" })
    }
}

/// Lines a ``JSONLogHandler`` wrote, kept in memory.
final class LineSink: @unchecked Sendable {
    // @unchecked: `stored` is read and written only under `lock`.
    private let lock = NSLock()
    private var stored: [String] = []

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func append(_ line: String) {
        lock.lock()
        stored.append(line)
        lock.unlock()
    }
}
