import FaultlineCore
import FaultlineStore
import Foundation
import Testing

/// A store written by an earlier schema opens with the current code (its migrations run in place) and
/// shows every issue, event, status change, enrichment, link and pin exactly as before.
@Suite("Store upgrade")
struct StoreUpgradeTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/store", isDirectory: true)

    /// Writes the fixture with the code of the time: `scripts/fixtures/store/make-upgrade-fixture.sh`
    /// sets the variable to the directory to write into.
    @Test("write the upgrade fixture", .enabled(if: ProcessInfo.processInfo.environment["FAULTLINE_WRITE_STORE_FIXTURE"] != nil))
    func writeFixture() async throws {
        let output = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["FAULTLINE_WRITE_STORE_FIXTURE"]), isDirectory: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let store = try IssueStore(configuration: StoreConfiguration(dataDirectory: output, samplesPerIssue: 100, samplesPerRequest: 100))
        try await StoreUpgradeFixture.write(into: store)
        let snapshot = try await StoreSnapshot.take(store, now: StoreUpgradeFixture.now)
        try store.close()
        try StoreSnapshot.encoder.encode(snapshot).write(to: output.appendingPathComponent("snapshot.json"))
    }

    @Test("a v5 store upgrades in place with every issue, event, status and enrichment intact")
    func upgradesV5Store() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-upgrade-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("v5-store.sqlite"),
            to: directory.appendingPathComponent("faultline.sqlite"))
        let expected = try JSONDecoder().decode(
            StoreSnapshot.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("v5-store.snapshot.json")))

        let store = try IssueStore(configuration: StoreConfiguration(dataDirectory: directory, samplesPerIssue: 100, samplesPerRequest: 100))
        let actual = try await StoreSnapshot.take(store, now: StoreUpgradeFixture.now)
        #expect(actual.issues.count == 4)
        #expect(actual.issues == expected.issues)
        #expect(actual.events == expected.events)
        #expect(actual.enrichments == expected.enrichments)
        #expect(actual.links == expected.links)
        #expect(actual.repositoryStatuses == expected.repositoryStatuses)
        #expect(actual.pins == expected.pins)

        // Every event decodes to exactly what was written, and the status history survived.
        let written = StoreUpgradeFixture.batches().flatMap(\.events)
        let stored = actual.events.flatMap { $0 }.sorted { $0.id < $1.id }.map(\.event)
        #expect(stored.count == written.count)
        #expect(stored == written)
        let python = try #require(actual.issues.first { $0.issue.service == "checkout" })
        #expect(python.statusHistory.map(\.to) == [.open, .acknowledged, .resolved, .open])
        #expect(actual.issues.contains { $0.issue.status == .excluded })

        // The upgraded store keeps counting spans once (event keys) and takes new events.
        let resend = try await store.ingest(StoreUpgradeFixture.batches()[0].events, receivedAt: StoreUpgradeFixture.now)
        #expect(resend.duplicates == 3 && resend.stored == 0)
        var fresh = written[0]
        fresh.event.spanID = "00000000000fffff"
        let added = try await store.ingest([fresh], receivedAt: StoreUpgradeFixture.now)
        #expect(added.stored == 1 && added.issueIDs == [python.issue.id])
        let page = try await store.events(issueID: python.issue.id, limit: 1)
        #expect(page.events.first?.event == fresh)
        try store.close()
    }
}
