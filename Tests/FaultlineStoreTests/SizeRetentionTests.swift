import FaultlineCore
import FaultlineStore
import Foundation
import GRDB
import Testing

/// `max-store-bytes`: past the limit the oldest events go first, never an issue's latest or first.
@Suite("Size-based retention")
struct SizeRetentionTests {
    @Test("the oldest events are deleted until the store fits, keeping every issue's first and latest event")
    func oldestGoFirst() async throws {
        let fixture = try TemporaryStore(samplesPerIssue: 1000)
        defer { fixture.remove() }
        let store = fixture.store
        let t0 = EventFactory.epoch
        var ids: [String: Int64] = [:]
        // Three issues, 40 events each, interleaved in time; each event ~8 KB (a long message).
        for round in 0..<40 {
            for name in ["a", "b", "c"] {
                let event = EventFactory.event(message: String(repeating: name, count: 8000) + " \(round)", at: t0.addingTimeInterval(Double(round * 3 + ids.count)), fingerprint: "issue-\(name)")
                ids[name] = try await store.ingest([event], receivedAt: t0.addingTimeInterval(Double(round))).issueIDs[0]
            }
        }
        let before = try await store.usedBytes()
        var firstEvents: [Int64: Int64] = [:]
        var latestEvents: [Int64: Int64] = [:]
        var allEvents: Set<Int64> = []
        for id in ids.values {
            let page = try await store.events(issueID: id, limit: 1000)
            #expect(page.events.count == 40)
            allEvents.formUnion(page.events.map(\.id))
            firstEvents[id] = page.events.map(\.id).min()
            latestEvents[id] = try await store.issue(id: id)?.issue.latestEventID
        }

        let limit = before / 2
        let deleted = try await store.enforceSizeLimit(maxBytes: limit)
        #expect(deleted > 0)
        #expect(try await store.usedBytes() <= limit)
        var remaining: [Int64] = []
        for id in ids.values {
            let kept = try await store.events(issueID: id, limit: 1000).events.map(\.id)
            #expect(kept.contains(try #require(firstEvents[id])), "issue \(id) lost its first event")
            #expect(kept.contains(try #require(latestEvents[id])), "issue \(id) lost its latest event")
            remaining += kept
            // Counts are the issue's, not the stored events'.
            #expect(try await store.issue(id: id)?.issue.count == 40)
        }
        // What was deleted is older than everything kept but the first events.
        let firsts = Set(firstEvents.values)
        let oldestKept = try #require(remaining.filter { !firsts.contains($0) }.min())
        #expect(remaining.count == 120 - deleted)
        let deletedEvents = allEvents.subtracting(remaining)
        #expect(deletedEvents.count == deleted)
        #expect(deletedEvents.allSatisfy { $0 < oldestKept })

        // A limit nothing can meet stops with each issue's first and latest event, not with an empty store.
        _ = try await store.enforceSizeLimit(maxBytes: 1)
        for id in ids.values {
            let kept = Set(try await store.events(issueID: id, limit: 1000).events.map(\.id))
            #expect(kept == [firstEvents[id]!, latestEvents[id]!])
        }
    }
}
