import FaultlineTestSupport
import FaultlineCore
import FaultlineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Real web frameworks under their tracers' own instrumentation, unmodified but for the endpoint: Flask
/// and Django under `ddtrace-run`, Flask under `opentelemetry-instrument` (OTLP/HTTP protobuf). Each app
/// (Tests/Fixtures/frameworks) serves itself and sends itself five requests: two unhandled errors of one
/// bug, a handled one (200), an error inside a database call and a chained exception.
@Suite("Real frameworks", .serialized)
struct FrameworkIntegrationTests {
    static let fixtures = TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/frameworks")

    /// Where pip put `ddtrace-run` and `opentelemetry-instrument` for the python3 on PATH.
    static func scriptsDirectory() async throws -> String {
        let run = try await ChildProcess.run(ChildProcess.python, ["-c", "import sysconfig; print(sysconfig.get_path('scripts'))"])
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func ddtrace(port: Int, service: String) -> [String: String] {
        [
            "DD_TRACE_AGENT_URL": "http://127.0.0.1:\(port)",
            "DD_SERVICE": service,
            "DD_ENV": "test",
            "DD_VERSION": "1.0.0",
            "DD_REMOTE_CONFIGURATION_ENABLED": "false",
            "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false",
        ]
    }

    static func openTelemetry(port: Int, service: String) -> [String: String] {
        [
            "OTEL_SERVICE_NAME": service,
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=test,service.version=1.0.0",
            "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_METRICS_EXPORTER": "none",
            "OTEL_LOGS_EXPORTER": "none",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:\(port)/v1/traces",
        ]
    }

    /// Runs one app under a launcher and returns how many of its requests failed (answered 500).
    static func run(_ launcher: String, _ app: String, environment: [String: String]) async throws -> Int {
        let scripts = try await scriptsDirectory()
        let run = try await ChildProcess.run(
            "\(scripts)/\(launcher)", [ChildProcess.python, fixtures.appendingPathComponent(app).path], environment: environment)
        #expect(run.status == 0, "\(launcher) \(app) failed: \(run.stderr.suffix(2000))")
        let lastLine = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let statuses = try JSONDecoder().decode([String: Int].self, from: Data(lastLine.utf8))
        #expect(statuses == ["/boom/1": 500, "/boom/2": 500, "/handled": 200, "/db": 500, "/chain": 500])
        return statuses.values.filter { $0 == 500 }.count
    }

    /// What the test knows about each bug: its issue's type, route, count and the app's own frames.
    struct Bug {
        var type: String
        var message: String
        var route: String
        var functions: [String]
    }

    static func check(
        _ bugs: [Bug], counts: [Int], service: String, app: String, client: some TestClientProtocol,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let issues = try await client.issues(query: "service:\(service)")
        #expect(issues.count == bugs.count, "\(issues.map(\.errorType))", sourceLocation: sourceLocation)
        for (bug, count) in zip(bugs, counts) {
            let issue = try #require(issues.first { $0.errorType == bug.type }, "no issue \(bug.type) in \(issues.map(\.errorType))", sourceLocation: sourceLocation)
            #expect(issue.count == count, "\(bug.type)", sourceLocation: sourceLocation)
            #expect(issue.env == "test" && issue.language == "python", sourceLocation: sourceLocation)
            let detail = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self)
            let event = try #require(detail.latestEvent, sourceLocation: sourceLocation)
            #expect(event.resource == bug.route, "\(bug.type)", sourceLocation: sourceLocation)
            #expect(event.errorMessage == bug.message, sourceLocation: sourceLocation)
            let ownFrames = event.exceptions.flatMap(\.frames).filter { ($0.file ?? "").hasSuffix(app) }
            #expect(!ownFrames.isEmpty && ownFrames.allSatisfy(\.inApp), "\(bug.type): the app's frames are in-app", sourceLocation: sourceLocation)
            #expect(Set(ownFrames.compactMap(\.function)) == Set(bug.functions), "\(bug.type)", sourceLocation: sourceLocation)
            let libraryFrames = event.exceptions.flatMap(\.frames).filter { ($0.file ?? "").contains("site-packages") }
            #expect(libraryFrames.allSatisfy { !$0.inApp }, sourceLocation: sourceLocation)
        }
    }

    @Test("Flask under ddtrace-run and under opentelemetry-instrument, Django under ddtrace-run")
    func frameworks() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.live) { client in
            let port = try #require(client.port)

            let flaskFailures = try await Self.run("ddtrace-run", "flask_shop.py", environment: Self.ddtrace(port: port, service: "shop"))
            let flaskBugs = [
                Bug(type: "ValueError", message: "bad amount 2", route: "GET /boom/<int:n>", functions: ["boom", "charge"]),
                Bug(type: "sqlite3.OperationalError", message: "no such table: missing_table", route: "GET /db", functions: ["db"]),
                Bug(type: "__main__.PaymentError", message: "payment failed", route: "GET /chain", functions: ["chain", "charge"]),
            ]
            try await Self.check(flaskBugs, counts: [2, 1, 1], service: "shop", app: "flask_shop.py", client: client)
            #expect(try await client.issues().map(\.count).reduce(0, +) == Int64(flaskFailures), "one event per failed request")

            // The same bugs through OpenTelemetry join ddtrace's issues (it says ValueError, ddtrace builtins.ValueError).
            let otelFailures = try await Self.run("opentelemetry-instrument", "flask_shop.py", environment: Self.openTelemetry(port: port, service: "shop"))
            try await Self.check(flaskBugs, counts: [4, 2, 2], service: "shop", app: "flask_shop.py", client: client)

            let djangoFailures = try await Self.run("ddtrace-run", "django_shop.py", environment: Self.ddtrace(port: port, service: "shop-django"))
            try await Self.check([
                Bug(type: "ValueError", message: "bad amount 2", route: "GET boom/<int:n>", functions: ["boom", "charge"]),
                Bug(type: "django.db.utils.OperationalError", message: "no such table: missing_table", route: "GET db", functions: ["db"]),
                Bug(type: "__main__.PaymentError", message: "payment failed", route: "GET chain", functions: ["chain", "charge"]),
            ], counts: [2, 1, 1], service: "shop-django", app: "django_shop.py", client: client)

            let issues = try await client.issues()
            #expect(Set(issues.map(\.service)) == ["shop", "shop-django"], "no issue under an integration's service")
            #expect(issues.map(\.count).reduce(0, +) == Int64(flaskFailures + otelFailures + djangoFailures))

            // The request span kept its identity; the event says which span below carried the error.
            let value = try #require(issues.first { $0.service == "shop-django" && $0.errorType == "ValueError" })
            let event = try #require(try await client.getJSON("/api/v1/issues/\(value.id)", as: IssueDetailResponse.self).latestEvent)
            #expect(event.operation == "django.request")
            #expect(event.errorSpan?.operation == "django.view")
            // The chained exception keeps its cause with the app's frames.
            let chain = try #require(issues.first { $0.service == "shop" && $0.errorType == "__main__.PaymentError" })
            let chained = try #require(try await client.getJSON("/api/v1/issues/\(chain.id)", as: IssueDetailResponse.self).latestEvent)
            let cause = try #require(chained.exceptions.first { $0.type == "ValueError" })
            #expect(cause.relation == .cause && cause.frames.contains { $0.function == "charge" && $0.inApp })
        }
    }
}
