import FaultlineCore
import FaultlineServer
import Foundation
import Testing

/// The `faultline` binary: ingest, issues list/show/status, export, and its errors.
@Suite("faultline CLI", .serialized)
struct IssuesCLITests {
    /// A store filled by `faultline ingest` with the captured ddtrace and OTel payloads.
    static func ingestedStore() async throws -> URL {
        let directory = try CLIEnvironment.temporaryDirectory()
        let result = try await CLIEnvironment.faultline([
            "ingest", "--data-dir", directory.path,
            CLIEnvironment.fixture("ddtrace-python-v05.msgpack"),
            CLIEnvironment.fixture("otel-python.pb"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ddtrace-python-v05.msgpack: "))
        #expect(result.stdout.contains("4 error events stored"))
        return directory
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    @Test("ingest then list as a table and as JSON")
    func listIssues() async throws {
        let directory = try await Self.ingestedStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = try await CLIEnvironment.faultline(["issues", "list", "--data-dir", directory.path])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.count == 4)
        #expect(lines.contains { $0.contains("ValueError: invalid quantity in cart") && $0.contains("checkout") })

        let json = try await CLIEnvironment.faultline(["issues", "list", "--data-dir", directory.path, "--query", "service:inventory", "--json"])
        #expect(json.status == 0)
        let page = try Self.decoder().decode(IssuePageResponse.self, from: Data(json.stdout.utf8))
        #expect(page.issues.map(\.errorType) == ["__main__.OutOfStock"])
        #expect(page.issues.first?.count == 2)
    }

    @Test("show prints the latest event's trace, git link and frames")
    func showIssue() async throws {
        let directory = try await Self.ingestedStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = try await CLIEnvironment.faultline(["issues", "list", "--data-dir", directory.path, "-q", "error.type:ValueError", "--json"])
        let issue = try #require(try Self.decoder().decode(IssuePageResponse.self, from: Data(list.stdout.utf8)).issues.first)
        let shown = try await CLIEnvironment.faultline(["issues", "show", String(issue.id), "--data-dir", directory.path])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("Issue \(issue.id): ValueError: invalid quantity in cart"))
        #expect(shown.stdout.contains("https://github.com/acme/checkout @ 89abcdef0123456789abcdef0123456789abcdef"))
        #expect(shown.stdout.contains("latest trace: "))
        #expect(shown.stdout.contains("checkout"))
        let json = try await CLIEnvironment.faultline(["issues", "show", String(issue.id), "--json", "--data-dir", directory.path])
        let detail = try Self.decoder().decode(IssueDetailResponse.self, from: Data(json.stdout.utf8))
        #expect(detail.issue.id == issue.id)
        #expect(detail.latestEvent?.frames.isEmpty == false)
    }

    @Test("status commands change the status", arguments: [
        ("resolve", IssueStatus.resolved), ("ack", .acknowledged), ("ignore", .ignored), ("exclude", .excluded), ("reopen", .open),
    ])
    func statusCommands(command: String, status: IssueStatus) async throws {
        let directory = try await Self.ingestedStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = try await CLIEnvironment.faultline(["issues", "list", "--data-dir", directory.path, "--json"])
        let issue = try #require(try Self.decoder().decode(IssuePageResponse.self, from: Data(list.stdout.utf8)).issues.first)
        if status == .open {
            _ = try await CLIEnvironment.faultline(["issues", "resolve", String(issue.id), "--data-dir", directory.path])
        }
        let result = try await CLIEnvironment.faultline(["issues", command, String(issue.id), "--data-dir", directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Issue \(issue.id) is now \(status.rawValue).\n")
        let after = try await CLIEnvironment.faultline(["issues", "list", "--data-dir", directory.path, "--json", "-q", "status:\(status.rawValue)"])
        #expect(try Self.decoder().decode(IssuePageResponse.self, from: Data(after.stdout.utf8)).issues.contains { $0.id == issue.id })
    }

    @Test("bad arguments and unknown ids fail with a message", arguments: [
        (["issues", "show", "abc"], "abc"),
        (["issues", "show", "424242"], "no issue 424242"),
        (["issues", "resolve", "0"], "positive"),
        (["issues", "list", "--query", "service:checkout bogus:1"], "column 18"),
        (["issues", "list", "--sort", "loudest"], "sort"),
        (["export", "--format", "xml"], "format"),
        (["ingest"], "Missing expected argument"),
    ])
    func badArguments(arguments: [String], message: String) async throws {
        let directory = try await Self.ingestedStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await CLIEnvironment.faultline(arguments + ["--data-dir", directory.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test("ingest refuses a malformed file and names it, keeping the good ones")
    func ingestMalformed() async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("broken-v05.msgpack")
        try Data([0xc1, 0x00]).write(to: bad)
        let result = try await CLIEnvironment.faultline([
            "ingest", "--data-dir", directory.appendingPathComponent("data").path, bad.path, CLIEnvironment.fixture("otel-python.json"),
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("broken-v05.msgpack"))
        #expect(result.stdout.contains("otel-python.json: "))
        let list = try await CLIEnvironment.faultline(["issues", "list", "--data-dir", directory.appendingPathComponent("data").path, "--json"])
        #expect(try Self.decoder().decode(IssuePageResponse.self, from: Data(list.stdout.utf8)).issues.map(\.errorType) == ["__main__.OutOfStock"])
    }

    @Test("export --format ndjson equals GET /api/v1/export?format=ndjson, with the server running")
    func exportMatchesAPI() async throws {
        let directory = try await Self.ingestedStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(dataDirectory: directory)
        do {
            let (status, body) = try await server.request("GET", "/api/v1/export?format=ndjson")
            #expect(status == 200)
            let cli = try await CLIEnvironment.faultline(["export", "--format", "ndjson", "--data-dir", directory.path])
            #expect(cli.status == 0)
            #expect(cli.stdout == String(decoding: body, as: UTF8.self))
            #expect(cli.stdout.split(separator: "\n").count == 3)
            let json = try await CLIEnvironment.faultline(["export", "--data-dir", directory.path])
            let array = try Self.decoder().decode([ExportedIssue].self, from: Data(json.stdout.utf8))
            let lines = try cli.stdout.split(separator: "\n").map { try Self.decoder().decode(ExportedIssue.self, from: Data($0.utf8)) }
            #expect(array == lines)
            // A status change from the CLI while the server runs is visible through the API.
            let id = try #require(array.first?.issue.id)
            let resolved = try await CLIEnvironment.faultline(["issues", "resolve", String(id), "--data-dir", directory.path])
            #expect(resolved.status == 0)
            let (_, detail) = try await server.request("GET", "/api/v1/issues/\(id)")
            #expect(try Self.decoder().decode(IssueDetailResponse.self, from: detail).issue.status == .resolved)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
