import FaultlineTestSupport
import FaultlineCore
import FaultlineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The real Python tracers (ddtrace from PyPI, opentelemetry-sdk with the OTLP/HTTP exporter) send
/// to a running server on loopback, unmodified but for their endpoint.
@Suite("Real tracers", .serialized)
struct TracerIntegrationTests {
    static func ddtraceEnvironment(port: Int, version: String, sha: String) -> [String: String] {
        [
            "DD_TRACE_AGENT_URL": "http://127.0.0.1:\(port)",
            "DD_SERVICE": "checkout",
            "DD_ENV": "prod",
            "DD_VERSION": version,
            "DD_GIT_REPOSITORY_URL": "https://github.com/acme/checkout",
            "DD_GIT_COMMIT_SHA": sha,
            // Keep the run to traces: no remote-config polling or telemetry against our port.
            "DD_REMOTE_CONFIGURATION_ENABLED": "false",
            "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false",
        ]
    }

    @Test("ddtrace and the OpenTelemetry SDK report the expected issues")
    func realTracers() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let ddtrace = try await ChildProcess.run(
                ChildProcess.python, [TestEnvironment.fixture("ddtrace_app.py").path],
                environment: Self.ddtraceEnvironment(port: port, version: "1.4.2", sha: "89abcdef0123456789abcdef0123456789abcdef")
            )
            #expect(ddtrace.status == 0, "ddtrace app failed: \(ddtrace.stderr)")
            let otel = try await ChildProcess.run(
                ChildProcess.python, [TestEnvironment.fixture("otel_app.py").path],
                environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:\(port)/v1/traces"]
            )
            #expect(otel.status == 0, "otel app failed: \(otel.stderr)")

            let issues = try await client.issues()
            // Non-entry error spans (KeyError, TimeoutError) and the stackless error never become issues.
            #expect(Set(issues.map(\.errorType)) == ["ValueError", "__main__.PaymentDeclined", "__main__.OutOfStock"], "\(issues.map(\.errorType))")

            let checkout = try #require(issues.first { $0.errorType == "ValueError" })
            #expect(checkout.count == 3)
            #expect(checkout.service == "checkout")
            #expect(checkout.env == "prod")
            #expect(checkout.language == "python")
            #expect(checkout.versions == ["1.4.2"])
            let detail = try await client.getJSON("/api/v1/issues/\(checkout.id)", as: IssueDetailResponse.self)
            let event = try #require(detail.latestEvent)
            #expect(event.git == GitLink(repositoryURL: "https://github.com/acme/checkout", commitSHA: "89abcdef0123456789abcdef0123456789abcdef"))
            #expect(event.resource == "POST /checkout")
            #expect(event.frames.contains { $0.function == "checkout" && ($0.file ?? "").hasSuffix("ddtrace_app.py") })
            #expect(event.errorMessage == "invalid quantity in cart")

            let payments = try #require(issues.first { $0.errorType == "__main__.PaymentDeclined" })
            #expect(payments.count == 1)
            #expect(payments.service == "payments")

            let inventory = try #require(issues.first { $0.errorType == "__main__.OutOfStock" })
            #expect(inventory.count == 2)
            #expect(inventory.service == "inventory")
            #expect(inventory.env == "staging")
            #expect(inventory.versions == ["2.3.1"])
            let inventoryEvent = try #require(try await client.getJSON("/api/v1/issues/\(inventory.id)", as: IssueDetailResponse.self).latestEvent)
            #expect(inventoryEvent.git == GitLink(repositoryURL: "https://github.com/acme/inventory", commitSHA: "0123456789abcdef0123456789abcdef01234567"))
            #expect(inventoryEvent.hostTags.values.contains("inv-host-1"))
            #expect(inventoryEvent.frames.contains { $0.function == "reserve" })
        }
    }

    @Test("a resolved issue comes back as a regression when a new release raises it again")
    func regressionFromRealTracer() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let first = try await ChildProcess.run(
                ChildProcess.python, [TestEnvironment.fixture("ddtrace_app.py").path],
                environment: Self.ddtraceEnvironment(port: port, version: "1.4.2", sha: "89abcdef0123456789abcdef0123456789abcdef")
            )
            #expect(first.status == 0, "\(first.stderr)")
            let issue = try #require(try await client.issues().first { $0.errorType == "ValueError" })
            #expect(try await client.patchStatus(issue.id, "resolved") == .ok)
            let second = try await ChildProcess.run(
                ChildProcess.python, [TestEnvironment.fixture("ddtrace_app.py").path],
                environment: Self.ddtraceEnvironment(port: port, version: "1.5.0", sha: "fedcba9876543210fedcba9876543210fedcba98")
            )
            #expect(second.status == 0, "\(second.stderr)")
            let detail = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self)
            #expect(detail.issue.status == .open)
            #expect(detail.issue.isRegression)
            #expect(detail.issue.regressedInVersion == "1.5.0")
            #expect(detail.issue.count == 6)
            #expect(Array(detail.statusHistory.map(\.to).suffix(2)) == [.resolved, .open])
        }
    }
}
