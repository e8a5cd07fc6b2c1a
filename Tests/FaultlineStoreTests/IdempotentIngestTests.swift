import FaultlineCore
import FaultlineStore
import Foundation
import Testing

/// An error span is identified by (trace id, span id): a tracer that resends a payload after a timeout,
/// wholly or in part, adds nothing, also after a restart.
@Suite("Idempotent ingest")
struct IdempotentIngestTests {
    @Test("a resent and a half-overlapping batch add only the new spans, across a reopen")
    func resendsAddNothing() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let t0 = EventFactory.epoch
        let first = (0..<4).map { EventFactory.event(version: "1.0.0", at: t0.adding(hours: Double($0))) }
        let later = (0..<4).map { EventFactory.event(version: "1.1.0", at: t0.adding(hours: 4 + Double($0))) }
        let once = try await fixture.store.ingest(first, receivedAt: t0.adding(hours: 8))
        #expect(once.newIssues == 1 && once.duplicates == 0)
        let issueID = once.issueIDs[0]

        let again = try await fixture.store.ingest(first, receivedAt: t0.adding(hours: 8))
        #expect(again.duplicates == 4 && again.stored == 0 && again.issueIDs.isEmpty)

        // Another process (a restarted server) gets the second half of the first batch and two new spans.
        let reopened = try fixture.reopen()
        let overlap = Array(first.suffix(2)) + Array(later.prefix(2))
        let half = try await reopened.ingest(overlap, receivedAt: t0.adding(hours: 8))
        #expect(half.duplicates == 2 && half.stored == 2)
        // The same span twice within one batch counts once too.
        let doubled = try await reopened.ingest([later[2], later[2], later[3]], receivedAt: t0.adding(hours: 8))
        #expect(doubled.duplicates == 1)

        let detail = try #require(try await reopened.issue(id: issueID, now: t0.adding(hours: 8)))
        #expect(detail.issue.count == 8)
        #expect(detail.issue.lastSeen == t0.adding(hours: 7))
        #expect(detail.issue.lastVersion == "1.1.0")
        #expect(detail.hourlyCounts.map(\.count).reduce(0, +) == 8)
        #expect(detail.versions.map(\.count) == [4, 4])
    }
}
