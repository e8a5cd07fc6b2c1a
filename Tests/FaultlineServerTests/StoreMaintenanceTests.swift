import FaultlineCore
import FaultlineServer
import FaultlineStore
import Foundation
import Logging
import Testing

/// The periodic retention and auto-resolve pass that `faultline serve` runs beside the HTTP server.
@Suite("Store maintenance")
struct StoreMaintenanceTests {
    static func event(version: String, service: String = "checkout", message: String, at start: Date) -> GroupedEvent {
        let event = ErrorEvent(
            traceID: String(format: "%032x", Int.random(in: 1..<Int.max)),
            spanID: String(format: "%016x", Int.random(in: 1..<Int.max)),
            service: service, env: "prod", version: version,
            startNanos: Int64(start.timeIntervalSince1970 * 1e9),
            errorType: "ValueError", errorMessage: message,
            errorStack: "Traceback (most recent call last):\n  File \"/app/shop/views.py\", line 3, in checkout\n    raise ValueError(\"x\")\nValueError: \(message)\n",
            language: "python"
        )
        return Grouper().group(event)
    }

    @Test("a pass deletes expired events and auto-resolves issues left behind by a newer version")
    func pass() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try IssueStore(configuration: StoreConfiguration(dataDirectory: directory))
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let day: TimeInterval = 24 * 3600
        // Issue A: three events on 1.0; then the service ships 1.1, where only issue B happens.
        for offset in 0..<3 {
            try await store.ingest([Self.event(version: "1.0", message: "first bug", at: start + Double(offset))], receivedAt: start + Double(offset))
        }
        try await store.ingest([Self.event(version: "1.1", message: "other bug", at: start + 2 * day)], receivedAt: start + 2 * day)
        let issues = try await store.issues(IssueListRequest())
        let first = try #require(issues.issues.first { $0.message.hasPrefix("first") })

        let maintenance = StoreMaintenance(store: store, logger: Logger(label: "test"))
        let early = await maintenance.runOnce(now: start + 3 * day)
        #expect(early == MaintenanceSummary())

        let summary = await maintenance.runOnce(now: start + 40 * day)
        #expect(summary.eventsDeleted == 2)  // the latest event of each issue is kept
        #expect(summary.issuesAutoResolved >= 1)
        let resolved = try #require(try await store.issue(id: first.id))
        #expect(resolved.issue.status == .resolved)
        #expect(try await store.events(issueID: first.id, limit: 10).events.count == 1)
    }
}
