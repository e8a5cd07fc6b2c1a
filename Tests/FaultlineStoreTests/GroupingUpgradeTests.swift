import FaultlineCore
import FaultlineStore
import Foundation
import Testing

/// A grouping change (a new `Grouper.version`) must not split the issues an earlier release made.
@Suite("Grouping upgrades")
struct GroupingUpgradeTests {
    @Test("an issue made under grouping version 1 keeps receiving the same error's events")
    func previousVersionsIssueKeepsItsEvents() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let t0 = EventFactory.epoch
        // What the first release stored: ddtrace's `builtins.ValueError`, fingerprinted by version 1.
        let grouper = Grouper()
        func grouped(_ type: String, at date: Date) -> GroupedEvent {
            grouper.group(EventFactory.event(type: type, message: "bad amount", at: date).event)
        }
        var old = grouped("builtins.ValueError", at: t0)
        let current = old.fingerprint
        #expect(current.version == Grouper.version)
        let firstRelease = try #require(current.previousValues.last)
        old.fingerprint = Fingerprint(value: firstRelease, version: 1, parts: [])
        let before = try await fixture.store.ingest([old], receivedAt: t0)
        #expect(before.newIssues == 1)

        // The same error now, from ddtrace and from OpenTelemetry (which says `ValueError`).
        let again = grouped("builtins.ValueError", at: t0.adding(hours: 1))
        let otel = grouped("ValueError", at: t0.adding(hours: 1))
        #expect(again.fingerprint.value == otel.fingerprint.value)
        let after = try await fixture.store.ingest([again, otel], receivedAt: t0.adding(hours: 1))
        #expect(after.newIssues == 0)
        #expect(after.issueIDs == [before.issueIDs[0], before.issueIDs[0]])
        let detail = try #require(try await fixture.store.issue(id: before.issueIDs[0], now: t0.adding(hours: 1)))
        #expect(detail.issue.count == 3)
        #expect(detail.issue.fingerprint == firstRelease)
        #expect(detail.issue.groupingVersion == 1)
    }
}
