import FaultlineServer
import Foundation
import Hummingbird
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `serve` listens twice (the Datadog agent port and the OTLP/HTTP port) with the same routes.
@Suite("Listeners")
struct ListenerTests {
    actor Ports {
        var bound: [String: Int] = [:]
        func set(_ name: String, _ port: Int) { bound[name] = port }
    }

    @Test("the main port and the OTLP port both serve intake and API")
    func twoListeners() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = TestServer.configuration(dataDirectory: directory) { $0.otlpPort = 0 }
        let ports = Ports()
        let app = try await buildApplication(configuration, logger: TestServer.logger) { name, port in
            await ports.set(name, port)
        }
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        var bound: [String: Int] = [:]
        // The listeners report themselves once bound; wait for both (bounded).
        for _ in 0..<500 where bound.count < 2 {
            bound = await ports.bound
            if bound.count < 2 { try await Task.sleep(for: .milliseconds(20)) }
        }
        let main = try #require(bound["main"])
        let otlp = try #require(bound["otlp"])
        #expect(main != otlp)

        let session = URLSession(configuration: .ephemeral)
        var export = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(otlp)/v1/traces")))
        export.httpMethod = "POST"
        export.setValue("application/x-protobuf", forHTTPHeaderField: "Content-Type")
        export.httpBody = Data(try TestEnvironment.fixtureBytes("otel-python.pb"))
        let (exportBody, exportResponse) = try await session.data(for: export)
        #expect((exportResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect((exportResponse as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") == "application/x-protobuf")
        #expect(exportBody.isEmpty)

        for port in [main, otlp] {
            let (body, response) = try await session.data(from: try #require(URL(string: "http://127.0.0.1:\(port)/api/v1/issues")))
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            let page = try JSONDecoder.test.decode(IssuePageResponse.self, from: body)
            #expect(page.issues.map(\.service) == ["inventory"])
        }
    }

    @Test("OTLP JSON gets an empty JSON response")
    func otlpJSON() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/traces", method: .post, headers: [.contentType: "application/json"],
                body: .init(bytes: try TestEnvironment.fixtureBytes("otel-python.json"))
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{}")
            }
            let issues = try await client.issues()
            #expect(issues.map(\.errorType) == ["__main__.OutOfStock"])
            #expect(issues.first?.count == 2)
        }
    }

    @Test("v0.4 msgpack from ddtrace is accepted over PUT")
    func v04() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.send(fixture: "ddtrace-python-v04.msgpack", to: "/v0.4/traces", contentType: "application/msgpack")
            let issues = try await client.issues()
            #expect(Set(issues.map(\.errorType)) == ["ValueError", "__main__.PaymentDeclined"])
            #expect(issues.first { $0.errorType == "ValueError" }?.count == 3)
        }
    }
}
