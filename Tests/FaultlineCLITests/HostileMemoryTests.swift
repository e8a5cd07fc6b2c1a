import FaultlineTestSupport
import Foundation
import Testing

/// Hostile bodies against `faultline serve` as its own process, so its peak resident memory (VmHWM) is the
/// server's alone: each answered, and the peak bounded far below what the bodies once cost.
@Suite("Hostile input memory", .serialized)
struct HostileMemoryTests {
    /// The server process's peak resident set, in bytes (Linux `/proc`).
    static func peakRSS(_ server: ServerProcess) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(server.process.processIdentifier)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        let kilobytes = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? ""))
        return kilobytes * 1024
    }

    @Test("three 20 MB OTLP JSON bodies of empty resourceSpans at once: 200 each, peak RSS bounded")
    func emptyResourceSpans() async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(dataDirectory: directory)
        defer { Task { await server.stop() } }
        let body = Data(("{\"resourceSpans\":[" + Array(repeating: "{}", count: 6_600_000).joined(separator: ",") + "]}").utf8)
        #expect(body.count > 19_000_000)
        let baseline = try Self.peakRSS(server)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 {
                group.addTask { try await server.request("POST", "/v1/traces", body: body, headers: ["Content-Type": "application/json"]).0 }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == [200, 200, 200])
        let (info, _) = try await server.request("GET", "/info")
        #expect(info == 200)
        // Before: 700 MB for one body, 1.4 GB for three. Now each body is held, read and copied once.
        let grown = try Self.peakRSS(server) - baseline
        #expect(grown < 400 * 1024 * 1024, "peak RSS grew by \(grown / 1_048_576) MB")
        await server.stop()
    }
}
