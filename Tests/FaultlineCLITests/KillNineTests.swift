import FaultlineCore
import FaultlineServer
import Foundation
import Testing

/// Nothing acknowledged is lost: payloads answered 200 survive a SIGKILL of the server mid-load.
@Suite("kill -9", .serialized)
struct KillNineTests {
    /// A v0.4 JSON payload with one entry error span whose error type is unique to `index`.
    static func payload(_ index: Int) -> Data {
        let traceID = 10_000 + index
        let json = """
        [[{"trace_id": \(traceID), "span_id": \(traceID), "parent_id": 0, "service": "loadgen", "name": "web.request",
           "resource": "GET /item/\(index)", "start": 1764000000000000000, "duration": 1500000, "error": 1,
           "meta": {"env": "load", "version": "1.0.0", "language": "python", "error.type": "LoadError\(index)",
                    "error.message": "request \(index) failed",
                    "error.stack": "Traceback (most recent call last):\\n  File \\"/app/load.py\\", line 10, in handle\\n    fail()\\nLoadError\(index): request \(index) failed\\n"},
           "metrics": {"_dd.top_level": 1}}]]
        """
        return Data(json.utf8)
    }

    @Test("every event answered 200 before SIGKILL is present after restart")
    func killNine() async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(dataDirectory: directory)
        let total = 400
        let killAfter = 120
        let acknowledged = try await withThrowingTaskGroup(of: Int?.self) { group -> [Int] in
            var next = 0
            var acknowledged: [Int] = []
            var killed = false
            // 16 requests in flight at a time.
            func submit() {
                let index = next
                next += 1
                group.addTask {
                    do {
                        let (status, _) = try await server.request("PUT", "/v0.4/traces", body: Self.payload(index), headers: ["Content-Type": "application/json"])
                        return status == 200 ? index : nil
                    } catch {
                        return nil
                    }
                }
            }
            for _ in 0..<16 { submit() }
            while let result = try await group.next() {
                if let index = result { acknowledged.append(index) }
                if !killed && acknowledged.count >= killAfter {
                    killed = true
                    await server.kill()
                }
                if next < total { submit() }
            }
            return acknowledged
        }
        #expect(acknowledged.count >= killAfter)
        #expect(acknowledged.count < total, "the kill landed after every request finished; nothing was tested mid-load")
        await server.kill()

        let restarted = try await ServerProcess.start(dataDirectory: directory)
        let (status, body) = try await restarted.request("GET", "/api/v1/export?format=ndjson&q=service:loadgen")
        await restarted.stop()
        #expect(status == 200)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let stored = Set(try String(decoding: body, as: UTF8.self).split(separator: "\n").map {
            try decoder.decode(ExportedIssue.self, from: Data($0.utf8)).issue.errorType
        })
        let missing = acknowledged.filter { !stored.contains("LoadError\($0)") }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.sorted())")
    }
}
