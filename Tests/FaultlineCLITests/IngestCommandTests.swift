import FaultlineServer
import FaultlineTestSupport
import Foundation
import Testing

/// `faultline ingest` through the real binary: the intake media-type table's formats, by `--format`
/// and by file name, and files that fail among files that do not.
@Suite("faultline ingest", .serialized)
struct IngestCommandTests {
    static func storedErrorTypes(_ data: String) async throws -> Set<String> {
        let list = try await CLIEnvironment.faultline(["issues", "list", "--data-dir", data, "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return Set(try decoder.decode(IssuePageResponse.self, from: Data(list.stdout.utf8)).issues.map(\.errorType))
    }

    @Test("each format ingests its payload with --format, and the file name picks the same format", arguments: IntakeMediaTypeCase.oneRowPerFormat)
    func format(_ row: IntakeMediaTypeCase) async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let format = try #require(row.format)
        let explicit = try await CLIEnvironment.faultline(["ingest", "--data-dir", directory.appendingPathComponent("a").path, "--format", format, row.fixtureURL.path])
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(explicit.stderr.isEmpty)
        #expect(explicit.stdout.hasPrefix("\(row.fixtureURL.path): "))
        #expect(!explicit.stdout.hasSuffix(" 0 error events stored\n"), "\(explicit.stdout)")
        #expect(try await !Self.storedErrorTypes(directory.appendingPathComponent("a").path).isEmpty)

        let byName = try await CLIEnvironment.faultline(["ingest", "--data-dir", directory.appendingPathComponent("b").path, row.fixtureURL.path])
        #expect(byName.status == 0, "\(byName.stderr)")
        #expect(byName.stdout == explicit.stdout)
    }

    @Test("a payload ingested with the wrong --format is refused with intake's reason", arguments: [
        ("server/ddtrace-python-v05.msgpack", "otlp-json", "otlp json"),
        ("server/otel-python.pb", "v05", "v0.5"),
        ("server/ddtrace-python-v04.msgpack", "v04-json", "json"),
    ])
    func wrongFormat(fixture: String, format: String, reason: String) async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = IntakeMediaTypeCase.fixtures.appendingPathComponent(fixture).path
        let result = try await CLIEnvironment.faultline(["ingest", "--data-dir", directory.path, "--format", format, file])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("\(file): "), "\(result.stderr)")
        #expect(result.stderr.lowercased().contains(reason), "\(result.stderr)")
    }

    @Test("one bad file of three is reported and the other two are ingested")
    func oneBadOfThree() async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("truncated-v05.msgpack")
        try Data(try Data(contentsOf: IntakeMediaTypeCase.fixtures.appendingPathComponent("server/ddtrace-python-v05.msgpack")).prefix(700)).write(to: bad)
        let first = IntakeMediaTypeCase.fixtures.appendingPathComponent("server/ddtrace-python-v05.msgpack").path
        let third = IntakeMediaTypeCase.fixtures.appendingPathComponent("server/otel-python.pb").path
        let data = directory.appendingPathComponent("data").path
        let result = try await CLIEnvironment.faultline(["ingest", "--data-dir", data, first, bad.path, third])
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n")
        #expect(errors.count == 1, "\(result.stderr)")
        #expect(errors.first == "\(bad.path): msgpack: body ends inside a string at byte 690", "\(result.stderr)")
        let stored = result.stdout.split(separator: "\n")
        #expect(stored.count == 2)
        #expect(stored.first?.hasPrefix("\(first): ") == true)
        #expect(stored.last?.hasPrefix("\(third): ") == true)
        #expect(try await Self.storedErrorTypes(data) == ["ValueError", "__main__.PaymentDeclined", "__main__.OutOfStock"])
    }

    @Test("a missing file and a name without a known extension are reported, the rest ingested")
    func unreadableAndUnknown() async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let unknown = directory.appendingPathComponent("payload.bin")
        try Data([0x90]).write(to: unknown)
        let missing = directory.appendingPathComponent("missing.msgpack").path
        let good = IntakeMediaTypeCase.fixtures.appendingPathComponent("server/otel-python.json").path
        let result = try await CLIEnvironment.faultline(["ingest", "--data-dir", directory.appendingPathComponent("data").path, missing, unknown.path, good])
        #expect(result.status == 1)
        #expect(result.stderr == "\(missing): cannot be read\n\(unknown.path): cannot tell the format from the name; pass --format\n")
        #expect(result.stdout.hasPrefix("\(good): "))
    }
}
