import FaultlineCore
import FaultlineStore
import Foundation
import GRDB
import Testing

@Suite("Issue store ingest and persistence")
struct IssueStoreIngestTests {
    @Test("events group by fingerprint, service and env; aggregates follow the events")
    func aggregates() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let t0 = EventFactory.epoch
        let events = [
            EventFactory.event(version: "1.0.0", at: t0, host: "web-1", container: "c-aaa"),
            EventFactory.event(version: "1.1.0", at: t0.adding(hours: 2), host: "web-2", container: "c-bbb"),
            EventFactory.event(version: "1.0.0", at: t0.adding(hours: -1), host: "web-1"),
            EventFactory.event(env: "staging", at: t0),
            EventFactory.event(service: "billing", at: t0),
            EventFactory.event(type: "ValueError", message: "bad amount", at: t0),
        ]
        let summary = try await fixture.store.ingest(events, receivedAt: t0.adding(hours: 3))
        #expect(summary.received == 6)
        #expect(summary.stored == 6)
        #expect(summary.newIssues == 4)
        #expect(Set(summary.issueIDs).count == 4)
        #expect(summary.issueIDs[0] == summary.issueIDs[1] && summary.issueIDs[1] == summary.issueIDs[2])

        let detail = try #require(try await fixture.store.issue(id: summary.issueIDs[0], now: t0))
        let issue = detail.issue
        #expect(issue.count == 3)
        #expect(issue.service == "checkout")
        #expect(issue.env == "prod")
        #expect(issue.errorType == "KeyError")
        #expect(issue.message == "'user-42'")
        #expect(issue.language == "python")
        #expect(issue.firstSeen == t0.adding(hours: -1))
        #expect(issue.lastSeen == t0.adding(hours: 2))
        #expect(issue.firstVersion == "1.0.0")
        #expect(issue.lastVersion == "1.1.0")
        #expect(issue.versions == ["1.0.0", "1.1.0"])
        #expect(issue.culprit == "app.checkout in load_cart")
        #expect(detail.versions.map(\.value) == ["1.0.0", "1.1.0"])
        #expect(detail.versions.map(\.count) == [2, 1])
        #expect(detail.hosts.map(\.value) == ["web-1", "web-2"])
        #expect(detail.hosts.map(\.count) == [2, 1])
        #expect(detail.containers.map(\.value).sorted() == ["c-aaa", "c-bbb"])
        // The latest event is the last one delivered, with its whole content.
        let latest = try #require(detail.latestEvent)
        #expect(latest.event == events[2])
        #expect(latest.receivedAt == t0.adding(hours: 3))
        #expect(latest.occurredAt == t0.adding(hours: -1))
        #expect(latest.event.stackTrace.frames.count == 3)
        #expect(latest.event.event.git?.commitSHA == "0123456789abcdef0123456789abcdef01234567")
    }

    @Test("hourly counts bucket events by the hour they happened")
    func hourlyCounts() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        // epoch is 53 minutes into its hour.
        let hourStart = Date(timeIntervalSince1970: (EventFactory.epoch.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
        let times = [0.0, 0.1, 0.9, 1.0, 1.5, 5.2].map { hourStart.adding(hours: $0) }
        let id = try await fixture.store.ingest(times.map { EventFactory.event(at: $0) }).issueIDs[0]
        let hours = try #require(try await fixture.store.issue(id: id)).hourlyCounts
        #expect(hours == [
            HourlyCount(hour: hourStart, count: 3),
            HourlyCount(hour: hourStart.adding(hours: 1), count: 2),
            HourlyCount(hour: hourStart.adding(hours: 5), count: 1),
        ])
        // A second batch adds to existing buckets.
        _ = try await fixture.store.ingest([EventFactory.event(at: hourStart.adding(hours: 1.25))])
        #expect(try await fixture.store.issue(id: id)?.hourlyCounts[1].count == 3)
    }

    @Test("the sample keeps the newest N events per issue, across and within batches", arguments: [1, 3, 10])
    func sampleBound(samples: Int) async throws {
        let fixture = try TemporaryStore(samplesPerIssue: samples)
        defer { fixture.remove() }
        var allSpans: [String] = []
        var id: Int64 = 0
        for round in 0..<4 {
            let batch = (0..<7).map { i in EventFactory.event(at: EventFactory.epoch.adding(hours: Double(round * 7 + i))) }
            allSpans += batch.map(\.event.spanID)
            id = try await fixture.store.ingest(batch).issueIDs[0]
        }
        let page = try await fixture.store.events(issueID: id, limit: 100)
        #expect(page.events.map(\.event.event.spanID) == Array(allSpans.suffix(samples).reversed()))
        let detail = try #require(try await fixture.store.issue(id: id))
        #expect(detail.issue.count == 28)
        #expect(detail.latestEvent?.event.event.spanID == allSpans.last)
    }

    @Test("one ingest call stores at most samplesPerRequest events per issue, its newest, and counts them all")
    func samplesPerRequest() async throws {
        let fixture = try TemporaryStore(samplesPerIssue: 100, samplesPerRequest: 3)
        defer { fixture.remove() }
        let flood = (0..<10).map { EventFactory.event(at: EventFactory.epoch.adding(hours: Double($0))) }
        let other = EventFactory.event(type: "ValueError")
        let summary = try await fixture.store.ingest(flood + [other])
        #expect(summary.stored == 4)
        let id = summary.issueIDs[0]
        let page = try await fixture.store.events(issueID: id)
        #expect(page.events.map(\.event.event.spanID) == flood.suffix(3).reversed().map(\.event.spanID))
        let detail = try #require(try await fixture.store.issue(id: id))
        #expect(detail.issue.count == 10)
        #expect(detail.latestEvent?.event.event.spanID == flood.last?.event.spanID)
        #expect(detail.hourlyCounts.count == 10)
        // The next call adds its own newest events to the sample.
        let next = EventFactory.event()
        _ = try await fixture.store.ingest([next])
        #expect(try await fixture.store.events(issueID: id).events.count == 4)
    }

    @Test("events page newest first with a cursor")
    func eventPaging() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let batch = (0..<5).map { EventFactory.event(at: EventFactory.epoch.adding(hours: Double($0))) }
        let id = try await fixture.store.ingest(batch).issueIDs[0]
        let first = try await fixture.store.events(issueID: id, limit: 2)
        #expect(first.events.map(\.event.event.spanID) == [batch[4], batch[3]].map(\.event.spanID))
        let cursor = try #require(first.nextCursor)
        let second = try await fixture.store.events(issueID: id, limit: 2, before: cursor)
        #expect(second.events.map(\.event.event.spanID) == [batch[2], batch[1]].map(\.event.spanID))
        let third = try await fixture.store.events(issueID: id, limit: 2, before: second.nextCursor)
        #expect(third.events.map(\.event.event.spanID) == [batch[0].event.spanID])
        #expect(third.nextCursor == nil)
    }

    @Test("retention deletes old events but never an issue's latest, and old hourly counts")
    func retention() async throws {
        let fixture = try TemporaryStore(eventRetention: 7 * 86400)
        defer { fixture.remove() }
        let store = fixture.store
        let t0 = EventFactory.epoch
        // Issue A: two events 10 days ago, one today. Issue B: one event 10 days ago (its latest).
        let a = try await store.ingest([EventFactory.event(at: t0), EventFactory.event(at: t0)], receivedAt: t0).issueIDs[0]
        let b = try await store.ingest([EventFactory.event(type: "ValueError", at: t0)], receivedAt: t0).issueIDs[0]
        let today = t0.adding(days: 10)
        let fresh = EventFactory.event(at: today)
        _ = try await store.ingest([fresh], receivedAt: today)

        let summary = try await store.applyRetention(now: today)
        #expect(summary.eventsDeleted == 2)
        #expect(try await store.events(issueID: a).events.map(\.event.event.spanID) == [fresh.event.spanID])
        let bDetail = try #require(try await store.issue(id: b))
        #expect(bDetail.latestEvent != nil)
        #expect(try await store.events(issueID: b).events.count == 1)
        // Counts are untouched by event retention.
        #expect(try await store.issue(id: a)?.issue.count == 3)
        // Hourly counts outlive events but not their own retention (90 days by default).
        let later = try await store.applyRetention(now: t0.adding(days: 95))
        #expect(later.hourlyCountsDeleted == 2)
        #expect(try await store.issue(id: a)?.hourlyCounts.count == 1)
    }

    @Test("retention deletes in chunks until nothing old is left")
    func retentionChunks() async throws {
        let fixture = try TemporaryStore(samplesPerIssue: 10_000, samplesPerRequest: 10_000, eventRetention: 86400)
        defer { fixture.remove() }
        let t0 = EventFactory.epoch
        let old = (0..<4500).map { _ in EventFactory.event(at: t0) }
        let id = try await fixture.store.ingest(old, receivedAt: t0).issueIDs[0]
        let summary = try await fixture.store.applyRetention(now: t0.adding(days: 2))
        // Every old event but the latest, across more than two chunks of 2,000.
        #expect(summary.eventsDeleted == 4499)
        #expect(try await fixture.store.events(issueID: id).events.map(\.event.event.spanID) == [old[4499].event.spanID])
    }

    @Test("data survives closing and reopening the store")
    func restart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = StoreConfiguration(dataDirectory: directory)
        let ids: [Int64]
        do {
            let store = try IssueStore(configuration: configuration)
            ids = try await store.ingest([EventFactory.event(), EventFactory.event(type: "ValueError")]).issueIDs
            _ = try await store.setStatus(issueID: ids[1], to: .ignored)
            try store.close()
            await #expect(throws: StoreError.self) {
                try await store.issues(IssueListRequest())
            }
        }
        let reopened = try IssueStore(configuration: configuration)
        let page = try await reopened.issues(IssueListRequest(sort: IssueSort(.firstSeen, descending: false)))
        #expect(page.total == 2)
        #expect(try await reopened.issue(id: ids[1])?.issue.status == .ignored)
        #expect(try await reopened.issue(id: ids[0])?.latestEvent != nil)
        // New events still join their old issues after a restart.
        let again = try await reopened.ingest([EventFactory.event()])
        #expect(again.issueIDs == [ids[0]])
        #expect(again.newIssues == 0)
    }

    @Test("concurrent ingest from many tasks: every event committed before its call returns")
    func concurrentIngest() async throws {
        let fixture = try TemporaryStore(samplesPerIssue: 1000)
        defer { fixture.remove() }
        let store = fixture.store
        let tasks = 40
        let perTask = 25
        let summaries = try await withThrowingTaskGroup(of: IngestSummary.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    let events = (0..<perTask).map { i in
                        EventFactory.event(type: "E\(i % 5)", at: EventFactory.epoch.adding(hours: Double(task)))
                    }
                    let summary = try await store.ingest(events)
                    // Committed: a fresh read sees at least this call's events.
                    let page = try await store.events(issueID: summary.issueIDs[0], limit: 1000)
                    let spans = Set(page.events.map(\.event.event.spanID))
                    #expect(events.filter { $0.event.errorType == "E0" }.allSatisfy { spans.contains($0.event.spanID) })
                    return summary
                }
            }
            var all: [IngestSummary] = []
            for try await summary in group { all.append(summary) }
            return all
        }
        #expect(summaries.map(\.stored).reduce(0, +) == tasks * perTask)
        #expect(summaries.map(\.newIssues).reduce(0, +) == 5)
        let page = try await store.issues(IssueListRequest(limit: 100))
        #expect(page.total == 5)
        #expect(page.issues.map(\.count).reduce(0, +) == Int64(tasks * perTask))
    }

    @Test("a caller whose batch fails in a shared group-commit round loses only its own events")
    func failingCallerInSharedRound() async throws {
        let fixture = try TemporaryStore(samplesPerIssue: 1000)
        defer { fixture.remove() }
        let store = fixture.store
        _ = try await store.ingest([EventFactory.event()])
        // Another connection makes one service's events unstorable, as a full disk or a bad page would fail one insert.
        let poison = try DatabaseQueue(path: fixture.configuration.databaseURL.path)
        try await poison.write { db in
            try db.execute(sql: """
                CREATE TRIGGER poison BEFORE INSERT ON event
                WHEN (SELECT service FROM issue WHERE id = NEW.issue_id) = 'poisoned'
                BEGIN SELECT RAISE(ABORT, 'poisoned batch'); END
                """)
        }
        try poison.close()
        let callers = 12
        let perCaller = 20
        // Concurrent callers share rounds; every fourth one carries a poisoned event.
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var events = (0..<perCaller).map { i in EventFactory.event(type: "E\(i % 4)") }
                    if caller % 4 == 0 { events.append(EventFactory.event(service: "poisoned")) }
                    do {
                        _ = try await store.ingest(events)
                        return (caller, true)
                    } catch {
                        return (caller, false)
                    }
                }
            }
            var all: [Int: Bool] = [:]
            for await (caller, succeeded) in group { all[caller] = succeeded }
            return all
        }
        #expect(outcomes.filter { $0.value }.keys.sorted() == (0..<callers).filter { $0 % 4 != 0 })
        let healthy = callers - callers / 4
        let page = try await store.issues(IssueListRequest(limit: 100))
        // The failed callers left nothing behind: no poisoned issue, no event, no count.
        #expect(page.issues.allSatisfy { $0.service == "checkout" })
        #expect(page.issues.map(\.count).reduce(0, +) == Int64(1 + healthy * perCaller))
        var stored = 0
        for issue in page.issues {
            stored += try await store.events(issueID: issue.id, limit: 1000).events.count
        }
        #expect(stored == 1 + healthy * perCaller)
    }

    @Test("a reader opened on the same directory reads while a writer writes")
    func readerDuringWrites() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let writer = fixture.store
        _ = try await writer.ingest([EventFactory.event()])
        let reader = try fixture.reopen(readOnly: true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 0..<30 {
                    _ = try await writer.ingest((0..<20).map { _ in EventFactory.event(type: "E\(round % 3)") })
                }
            }
            group.addTask {
                var last: Int64 = 0
                for _ in 0..<30 {
                    let page = try await reader.issues(IssueListRequest())
                    let total = page.issues.map(\.count).reduce(0, +)
                    #expect(total >= last)
                    last = total
                }
            }
            try await group.waitForAll()
        }
        let final = try await reader.issues(IssueListRequest())
        #expect(final.issues.map(\.count).reduce(0, +) == 601)
        await #expect(throws: StoreError.self) {
            try await reader.ingest([EventFactory.event()])
        }
    }

    @Test("a second read-write handle (a CLI beside the server) changes statuses while the first ingests")
    func twoWriters() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let server = fixture.store
        let ids = try await server.ingest((0..<10).map { EventFactory.event(type: "E\($0)") }).issueIDs
        let cli = try fixture.reopen()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 0..<40 {
                    _ = try await server.ingest((0..<25).map { _ in EventFactory.event(type: "E\(round % 10)") })
                }
            }
            group.addTask {
                for id in ids {
                    _ = try await cli.setStatus(issueID: id, to: .acknowledged)
                }
            }
            try await group.waitForAll()
        }
        let page = try await server.issues(IssueListRequest(limit: 100))
        #expect(page.issues.allSatisfy { $0.status == .acknowledged })
        #expect(page.issues.map(\.count).reduce(0, +) == 1010)
    }

    @Test("a read-only store refuses a directory without a database")
    func readOnlyWithoutDatabase() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-empty-\(UUID().uuidString)")
        #expect(throws: StoreError.self) {
            try IssueStore(configuration: StoreConfiguration(dataDirectory: directory, readOnly: true))
        }
    }

    @Test("store values encode with stable camelCase JSON keys")
    func jsonKeys() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let id = try await fixture.store.ingest([EventFactory.event()]).issueIDs[0]
        let detail = try #require(try await fixture.store.issue(id: id))
        let data = try JSONEncoder().encode(detail)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["issue", "latestEvent", "hourlyCounts", "statusHistory", "versions", "hosts", "containers"])
        let issue = try #require(object["issue"] as? [String: Any])
        for key in ["id", "fingerprint", "service", "env", "status", "errorType", "message", "count", "firstSeen", "lastSeen", "versions", "isNew", "isRegression"] {
            #expect(issue[key] != nil, "missing \(key)")
        }
        let latest = try #require(object["latestEvent"] as? [String: Any])
        #expect(Set(latest.keys) == ["id", "issueID", "receivedAt", "occurredAt", "event"])
        #expect(try JSONDecoder().decode(IssueDetail.self, from: data) == detail)
    }
}
