import FaultlineServer
import FaultlineTestSupport
import Foundation
import Testing

/// Runs the real binary and compares its entire standard output, as swift-argument-parser's example
/// tests do: a changed column, line or key shows up here first.
@Suite("faultline whole outputs", .serialized)
struct WholeOutputTests {
    @Test("--version prints the version /info reports, and nothing else")
    func version() async throws {
        let result = try await CLIEnvironment.faultline(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "faultline-0.1.0\n")
        #expect(result.stdout == FaultlineVersion.string + "\n")
    }

    @Test("GET /info reports the version --version prints")
    func infoVersion() async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let printed = try await CLIEnvironment.faultline(["--version"])
        let server = try await ServerProcess.start(dataDirectory: directory)
        let info: Data
        do {
            (_, info) = try await server.request("GET", "/info")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        let object = try #require(try JSONSerialization.jsonObject(with: info) as? [String: Any])
        #expect((object["version"] as? String).map { $0 + "\n" } == printed.stdout)
    }

    /// A v0.4 JSON payload of two entry error spans (two issues) that happened just now.
    static func payload() -> Data {
        let now = UInt64(Date().timeIntervalSince1970 * 1e9)
        func span(_ id: Int, service: String, env: String, type: String, message: String) -> String {
            """
            [{"trace_id": \(id), "span_id": \(id), "parent_id": 0, "service": "\(service)", "name": "web.request",
              "resource": "GET /", "start": \(now), "duration": 1000, "error": 1,
              "meta": {"env": "\(env)", "language": "python", "error.type": "\(type)", "error.message": "\(message)",
                       "error.stack": "Traceback (most recent call last):\\n  File \\"/app/shop.py\\", line 3, in handle\\n    fail()\\n\(type): \(message)\\n"},
              "metrics": {"_dd.top_level": 1}}]
            """
        }
        let traces = [
            span(1, service: "checkout", env: "prod", type: "ValueError", message: "bad quantity 3"),
            span(2, service: "billing", env: "staging", type: "KeyError", message: "'card'"),
            span(3, service: "checkout", env: "prod", type: "ValueError", message: "bad quantity 7"),
        ]
        return Data("[\(traces.joined(separator: ","))]".utf8)
    }

    @Test("ingest and issues list print exactly these lines")
    func ingestAndList() async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("two-issues-v04.json")
        try Self.payload().write(to: file)
        let data = directory.appendingPathComponent("data").path
        let ingested = try await CLIEnvironment.faultline(["ingest", "--data-dir", data, file.path])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        #expect(ingested.stdout == "\(file.path): 3 spans, 3 error events stored\n")
        #expect(ingested.stderr.isEmpty)

        let listed = try await CLIEnvironment.faultline(["issues", "list", "--data-dir", data, "--sort", "count"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(
            listed.stdout == """
                ID  STATUS    COUNT  LAST SEEN  SERVICE   ENV      ERROR
                1   open new  2      just now   checkout  prod     ValueError: bad quantity <int>
                2   open new  1      just now   billing   staging  KeyError: <quoted>

                """
        )
        let empty = try await CLIEnvironment.faultline(["issues", "list", "--data-dir", data, "-q", "service:nowhere"])
        #expect(empty.stdout == "No issues match.\n")
    }

    @Test("parse of a fixture prints exactly the recorded JSON")
    func parseFixture() async throws {
        let trace = CLIEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/stacks/python/chained_cause.txt").path
        let expected = try String(
            contentsOf: CLIEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/cli/parse-python-chained-cause.json"),
            encoding: .utf8
        )
        let result = try await CLIEnvironment.faultline(["parse", "--language", "python", trace])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == expected)
    }
}
