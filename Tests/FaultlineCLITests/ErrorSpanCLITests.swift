import Foundation
import Testing

/// `issues show` says which span below the event's span carried the error, as ddtrace's Flask
/// integration sends it: the request span marks `error = 1`, its dispatch span carries the exception.
@Suite("issues show: the span that carried the error")
struct ErrorSpanCLITests {
    @Test("a request span's error taken from its dispatch span is shown with that span")
    func showsTheErrorSpan() async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stack = "Traceback (most recent call last):\n  File \"/app/shop.py\", line 9, in boom\n    charge(n)\nValueError: bad amount 1\n"
        let spans: [[String: Any]] = [
            ["trace_id": 7, "span_id": 1, "parent_id": 0, "service": "shop", "name": "flask.request", "resource": "GET /boom/<int:n>",
             "start": 1_790_000_000_000_000_000, "duration": 1000, "error": 1, "meta": ["span.kind": "server", "language": "python"], "metrics": [:]],
            ["trace_id": 7, "span_id": 2, "parent_id": 1, "service": "shop", "name": "flask.dispatch_request", "resource": "flask.dispatch_request",
             "start": 1_790_000_000_000_000_100, "duration": 500, "error": 1,
             "meta": ["error.type": "builtins.ValueError", "error.message": "bad amount 1", "error.stack": stack], "metrics": [:]],
        ]
        let payload = directory.appendingPathComponent("flask.json")
        try JSONSerialization.data(withJSONObject: [spans]).write(to: payload)
        let data = directory.appendingPathComponent("data").path
        let ingested = try await CLIEnvironment.faultline(["ingest", payload.path, "--format", "v04-json", "--data-dir", data])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        let shown = try await CLIEnvironment.faultline(["issues", "show", "1", "--data-dir", data])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("Issue 1: ValueError: bad amount 1"), "\(shown.stdout)")
        #expect(shown.stdout.contains("error from:   span flask.dispatch_request (0000000000000002) below the event's span"), "\(shown.stdout)")
    }
}
