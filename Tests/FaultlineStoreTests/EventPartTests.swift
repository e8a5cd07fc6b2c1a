@testable import FaultlineStore
import FaultlineCore
import Foundation
import GRDB
import Testing

/// Schema v6: what events share (stack trace, tag maps, issue-level fields) is stored once and every event
/// still reads back exactly as written, also after retention collected parts no event refers to.
@Suite("Event parts")
struct EventPartTests {
    private static func partCount(_ store: IssueStore) async throws -> Int {
        try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event_part") ?? 0 }
    }

    @Test("a flood of one error stores its stack and tags once, and every event reads back as written")
    func sharedParts() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let t0 = EventFactory.epoch
        var written: [GroupedEvent] = []
        for index in 0..<40 {
            var event = EventFactory.event(at: t0.addingTimeInterval(Double(index)), host: "web-\(index % 3)")
            event.event.errorMessage = "'user-\(index)'"
            written.append(event)
        }
        let summary = try await fixture.store.ingest(written, receivedAt: t0.adding(hours: 1))
        #expect(summary.stored == 40)
        // stack, shared, span tags, 3 host tag maps, the empty container map, metrics
        #expect(try await Self.partCount(fixture.store) == 8)
        let page = try await fixture.store.events(issueID: summary.issueIDs[0], limit: 100)
        #expect(page.events.reversed().map(\.event) == written)

        // Another process writes the same parts: found by their bytes, not added again.
        let other = try fixture.reopen()
        var more = EventFactory.event(at: t0.addingTimeInterval(100), host: "web-1")
        more.event.errorMessage = "'user-x'"
        _ = try await other.ingest([more], receivedAt: t0.adding(hours: 1))
        #expect(try await Self.partCount(other) == 8)
        try other.close()
    }

    @Test("an event with every optional set, a chained trace and a raw text of its own reads back as written")
    func fullEventRoundTrip() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let full = EventJSONTests.fullEvent()
        var distinctRaw = EventJSONTests.fullEvent()
        distinctRaw.stackTrace.raw = "not the error.stack"
        let sparse = EventFactory.event(env: nil, version: nil, host: nil, language: nil)
        let summary = try await fixture.store.ingest([full, distinctRaw, sparse], receivedAt: EventFactory.epoch)
        var read: [GroupedEvent] = []
        for issueID in Set(summary.issueIDs).sorted() {
            read += try await fixture.store.events(issueID: issueID, limit: 10).events.sorted { $0.id < $1.id }.map(\.event)
        }
        #expect(Set(read) == Set([full, distinctRaw, sparse]))
        #expect(read.count == 3)
    }

    @Test("retention deletes parts no event refers to, and writers forget them")
    func garbageCollection() async throws {
        let fixture = try TemporaryStore(eventRetention: 86400)
        defer { fixture.remove() }
        let t0 = EventFactory.epoch
        var old = EventFactory.event(type: "OldError", at: t0, host: "old-host", fingerprint: "old")
        old.event.errorStack = "old stack"
        old.stackTrace.raw = "old stack"
        let keep = EventFactory.event(type: "OldError", at: t0.addingTimeInterval(1), host: "old-host", fingerprint: "old")
        _ = try await fixture.store.ingest([old, keep], receivedAt: t0)
        let before = try await Self.partCount(fixture.store)

        // Two days later the old event goes (not the issue's latest): its own stack part with it.
        let retention = try await fixture.store.applyRetention(now: t0.adding(days: 2))
        #expect(retention.eventsDeleted == 1)
        #expect(try await Self.partCount(fixture.store) == before - 1)

        // The writer remembered the collected part's id: it must not refer to it any more.
        var again = EventFactory.event(type: "OldError", at: t0.adding(days: 2), host: "old-host", fingerprint: "old")
        again.event.errorStack = "old stack"
        again.stackTrace.raw = "old stack"
        let summary = try await fixture.store.ingest([again], receivedAt: t0.adding(days: 2))
        let page = try await fixture.store.events(issueID: summary.issueIDs[0], limit: 10)
        #expect(page.events.map(\.event) == [again, keep])
    }
}
