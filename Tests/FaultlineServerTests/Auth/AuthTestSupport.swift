import FaultlineServer
import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A server directory with an api-token configured and one token of each scope made in its store,
/// as `faultline tokens create` would (a second store handle on the same directory).
struct AuthFixture {
    static let apiToken = "cfg-api-token-7f3a9c"

    let directory: URL
    let configuration: ServerConfiguration
    let store: IssueStore
    let secrets: [TokenScope: String]
    let tokens: [TokenScope: APIToken]

    init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        directory = try TestEnvironment.temporaryDirectory("faultline-auth")
        configuration = TestServer.configuration(dataDirectory: directory) {
            $0.apiToken = Self.apiToken
            configure(&$0)
        }
        store = try await StoreOpener.open(configuration: configuration)
        var secrets: [TokenScope: String] = [:]
        var tokens: [TokenScope: APIToken] = [:]
        for scope in TokenScope.allCases {
            let created = try await store.createToken(name: "\(scope.rawValue)-bot", scope: scope, by: .cli)
            secrets[scope] = created.secret
            tokens[scope] = created.token
        }
        self.secrets = secrets
        self.tokens = tokens
    }

    func router() -> Router<FaultlineRequestContext> {
        buildRouter(configuration, store: store)
    }

    func application() -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestServer.logger)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    static func bearer(_ secret: String) -> HTTPFields {
        [.authorization: "Bearer \(secret)"]
    }
}

extension TestClientProtocol {
    /// Signs in with `token` and returns the session cookie's `name=value`.
    func signIn(_ token: String, headers: HTTPFields = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await execute(uri: "/api/v1/session", method: .post, headers: headers, body: ByteBuffer(string: #"{"token": "\#(token)"}"#)) { response in
            guard response.status == .created, let setCookie = response.headers[.setCookie] else {
                throw TestFailure("sign-in answered \(response.status.code): \(String(buffer: response.body))")
            }
            return String(setCookie.split(separator: ";")[0])
        }
    }
}

/// Every log line a logger wrote, message and metadata rendered, for checking that no secret is logged.
/// @unchecked Sendable: `lines` is only touched under `lock`.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "faultline-auth-test") { label in CapturingLogHandler(label: label, capture: self) }
        logger.logLevel = level
        return logger
    }
}

struct CapturingLogHandler: LogHandler {
    let label: String
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
