import FaultlineCore
import FaultlineStore
import Foundation
import Testing

/// The outbox in the store: rows written with the ingest, one per cause, leases, several "servers".
@Suite("Outbox in the store")
struct OutboxStoreTests {
    struct Stores {
        let directory: URL
        let configuration: StoreConfiguration

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-outbox-\(UUID().uuidString)")
            configuration = StoreConfiguration(dataDirectory: directory.appendingPathComponent("data"))
        }

        /// Another handle on the same database: another process or server.
        func open() throws -> IssueStore { try IssueStore(configuration: configuration) }
        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    static func event(_ type: String, service: String = "checkout", version: String = "1.0.0") -> GroupedEvent {
        let spanID = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))
        let stack = "Traceback (most recent call last):\n  File \"/app/shop.py\", line 3, in pay\n    charge()\n\(type): card declined\n"
        let error = ErrorEvent(
            traceID: "00000000" + spanID, spanID: spanID, service: service, env: "prod", version: version, resource: "POST /pay",
            operation: "web.request", startNanos: 0, durationNanos: 1_000, errorType: type, errorMessage: "card declined",
            errorStack: stack, language: "python", spanTags: [:], hostTags: [:], containerTags: [:], metrics: [:], git: nil)
        let frames = [Frame(function: "pay", module: "shop", file: "/app/shop.py", line: 3)]
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(type: type, message: "card declined", frames: frames)], raw: stack)
        let parts = ["type:\(type)", "frame:shop.pay"]
        return GroupedEvent(event: error, stackTrace: trace, normalizedMessage: "card declined",
                            fingerprint: Fingerprint(value: parts.joined(separator: "|"), version: 1, parts: parts))
    }

    static func webhook(_ name: String, kind: Monitor.Kind = .newIssue, query: String = "", threshold: Monitor.Threshold? = nil) -> Monitor {
        Monitor(name: name, kind: kind, query: query, threshold: threshold, channel: Monitor.Channel(type: .webhook, url: "https://hooks.example.com/\(name)"))
    }

    @Test("new issues queue one notification each in the ingest's transaction; a monitor made by another process is seen at once")
    func newIssuesQueued() async throws {
        let stores = try Stores()
        defer { stores.remove() }
        let server = try stores.open()
        _ = try await server.ingest([Self.event("EarlyError")])
        // Created by "the CLI": the server's cached monitor list is refreshed by its next transaction.
        let cli = try stores.open()
        let monitor = try await cli.createMonitor(Self.webhook("all"))
        let prodOnly = try await cli.createMonitor(Self.webhook("billing", query: "service:billing"))
        _ = try await server.ingest([Self.event("AError"), Self.event("BError"), Self.event("AError")])
        _ = try await server.ingest([Self.event("AError"), Self.event("CError", service: "billing")])
        let claimed = try await server.claimNotifications(owner: "a", limit: 100, lease: 60)
        #expect(claimed.filter { $0.monitorID == monitor.id }.count == 3)
        #expect(claimed.filter { $0.monitorID == prodOnly.id }.count == 1)
        #expect(claimed.allSatisfy { $0.event == .newIssue })
        #expect(Set(claimed.map(\.notificationID)).count == claimed.count)
    }

    @Test("a lease keeps a notification from a second worker until it runs out; a 2xx is final")
    func leases() async throws {
        let stores = try Stores()
        defer { stores.remove() }
        let first = try stores.open()
        let second = try stores.open()
        _ = try await first.createMonitor(Self.webhook("all"))
        _ = try await first.ingest([Self.event("LeaseError")])
        let now = Date()
        let claimed = try await first.claimNotifications(owner: "first", limit: 10, lease: 30, now: now)
        #expect(claimed.count == 1)
        #expect(try await second.claimNotifications(owner: "second", limit: 10, lease: 30, now: now.addingTimeInterval(29)).isEmpty)
        // The first worker died: after its lease the second one takes the same notification.
        let retaken = try await second.claimNotifications(owner: "second", limit: 10, lease: 30, now: now.addingTimeInterval(31))
        #expect(retaken.map(\.notificationID) == claimed.map(\.notificationID))
        let notification = try #require(retaken.first)
        try await second.recordDelivery(notification, statusCode: 204, error: nil, latency: 0.01, result: .delivered)
        #expect(try await first.claimNotifications(owner: "first", limit: 10, lease: 30, now: now.addingTimeInterval(3600)).isEmpty)
        let log = try await first.deliveries(monitorID: notification.monitorID)
        #expect(log.map(\.outcome) == ["delivered"])
        #expect(log.map(\.statusCode) == [204])
        // Kept as long as events are; pending ones whatever their age.
        _ = try await first.ingest([Self.event("PendingError")])
        #expect(try await first.pruneNotifications(now: now.addingTimeInterval(stores.configuration.eventRetention - 60)) == 0)
        #expect(try await first.pruneNotifications(now: now.addingTimeInterval(stores.configuration.eventRetention + 60)) == 1)
        #expect(try await first.deliveries(monitorID: notification.monitorID).isEmpty)
        #expect(try await first.pendingNotificationCounts()[notification.monitorID] == 1)
    }

    @Test("two servers evaluating one threshold at once queue it once; renotify only after its interval")
    func thresholdCompareAndSet() async throws {
        let stores = try Stores()
        defer { stores.remove() }
        let a = try stores.open()
        let b = try stores.open()
        var monitor = Self.webhook("storm", kind: .threshold, query: "service:checkout", threshold: Monitor.Threshold(count: 2, window: 300, per: .issue))
        monitor.renotify = 600
        _ = try await a.createMonitor(monitor)
        let now = Date()
        _ = try await a.ingest((0..<3).map { _ in Self.event("StormError") }, receivedAt: now)
        _ = try await a.ingest([Self.event("QuietError"), Self.event("QuietError")], receivedAt: now)
        async let fromA = a.evaluateThresholds(now: now)
        async let fromB = b.evaluateThresholds(now: now)
        #expect(try await fromA + fromB == 1)
        #expect(try await a.evaluateThresholds(now: now.addingTimeInterval(60)) == 0)
        #expect(try await b.evaluateThresholds(now: now.addingTimeInterval(299)) == 0)
        // Over the count again, in a window that no longer holds the first events, after the renotify interval.
        let later = now.addingTimeInterval(420)
        _ = try await a.ingest((0..<3).map { _ in Self.event("StormError") }, receivedAt: later)
        #expect(try await a.evaluateThresholds(now: now.addingTimeInterval(601)) == 1)
        let queued = try await a.claimNotifications(owner: "a", limit: 10, lease: 60, now: now.addingTimeInterval(601))
        #expect(queued.map(\.event) == [.threshold, .threshold])
        #expect(queued.map(\.count) == [3, 3])
    }

    @Test("ignored issues never notify; a regression notifies once per regression")
    func ignoredAndRegressions() async throws {
        let stores = try Stores()
        defer { stores.remove() }
        let store = try stores.open()
        let regressions = try await store.createMonitor(Self.webhook("back", kind: .regression))
        let storm = try await store.createMonitor(Self.webhook("storm", kind: .threshold, threshold: Monitor.Threshold(count: 1, window: 60, per: .issue)))
        let summary = try await store.ingest([Self.event("IgnoredError"), Self.event("IgnoredError")])
        let issueID = try #require(summary.issueIDs.first)
        _ = try await store.setStatus(issueID: issueID, to: .ignored)
        _ = try await store.ingest([Self.event("IgnoredError")])
        #expect(try await store.evaluateThresholds() == 0)
        _ = try await store.setStatus(issueID: issueID, to: .resolved)
        _ = try await store.ingest([Self.event("IgnoredError", version: "1.0.0")])
        _ = try await store.ingest([Self.event("IgnoredError", version: "2.0.0"), Self.event("IgnoredError", version: "2.0.0")])
        _ = try await store.setStatus(issueID: issueID, to: .resolved)
        _ = try await store.ingest([Self.event("IgnoredError", version: "3.0.0")])
        // Open again (a regression): now it may fire.
        #expect(try await store.evaluateThresholds() == 1)
        let claimed = try await store.claimNotifications(owner: "a", limit: 100, lease: 60)
        #expect(claimed.filter { $0.monitorID == regressions.id }.count == 2)
        #expect(claimed.filter { $0.monitorID == storm.id }.map(\.event) == [.threshold])
    }
}
