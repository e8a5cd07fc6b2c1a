import FaultlineCore
import FaultlineStore
import Foundation
import Testing

@Suite("Issue lifecycle")
struct IssueLifecycleTests {
    @Test("a new issue is open and its creation is recorded")
    func newIssueIsOpen() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let summary = try await fixture.store.ingest([EventFactory.event()], receivedAt: EventFactory.epoch)
        #expect(summary.newIssues == 1)
        let detail = try #require(try await fixture.store.issue(id: summary.issueIDs[0], now: EventFactory.epoch))
        #expect(detail.issue.status == .open)
        #expect(detail.issue.isNew)
        #expect(detail.statusHistory.map(\.cause) == [.created])
        #expect(detail.statusHistory.first?.from == nil)
        #expect(detail.statusHistory.first?.to == .open)
    }

    @Test("every status change is applied and recorded with its time", arguments: [
        IssueStatus.acknowledged, .resolved, .ignored, .excluded,
    ])
    func statusChange(to status: IssueStatus) async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let id = try await fixture.store.ingest([EventFactory.event()], receivedAt: EventFactory.epoch).issueIDs[0]
        let at = EventFactory.epoch.adding(hours: 3)
        let issue = try #require(try await fixture.store.setStatus(issueID: id, to: status, at: at))
        #expect(issue.status == status)
        #expect(issue.statusChangedAt == at)
        let reopened = try #require(try await fixture.store.setStatus(issueID: id, to: .open, at: at.adding(hours: 1)))
        #expect(reopened.status == .open)
        let detail = try #require(try await fixture.store.issue(id: id))
        #expect(detail.statusHistory.map(\.to) == [.open, status, .open])
        #expect(detail.statusHistory.map(\.from) == [nil, .open, status])
        #expect(detail.statusHistory.map(\.cause) == [.created, .user, .user])
        #expect(detail.statusHistory[1].at == at)
    }

    @Test("setting the current status again records nothing; unknown issues give nil")
    func noOpAndUnknown() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let id = try await fixture.store.ingest([EventFactory.event()]).issueIDs[0]
        _ = try await fixture.store.setStatus(issueID: id, to: .open)
        #expect(try await fixture.store.issue(id: id)?.statusHistory.count == 1)
        #expect(try await fixture.store.setStatus(issueID: id + 1000, to: .resolved) == nil)
        #expect(try await fixture.store.issue(id: id + 1000) == nil)
    }

    @Test("resolving records the last version; the same version coming back stays resolved")
    func sameVersionStaysResolved() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let store = fixture.store
        let id = try await store.ingest([EventFactory.event(version: "1.4.0")]).issueIDs[0]
        let resolved = try #require(try await store.setStatus(issueID: id, to: .resolved))
        #expect(resolved.resolvedInVersion == "1.4.0")
        let summary = try await store.ingest([EventFactory.event(version: "1.4.0", at: EventFactory.epoch.adding(hours: 1))])
        #expect(summary.regressions == 0)
        let issue = try #require(try await store.issue(id: id)?.issue)
        #expect(issue.status == .resolved)
        #expect(!issue.isRegression)
        #expect(issue.count == 2)
    }

    @Test("a resolved issue seen in another version reopens as a regression")
    func otherVersionRegresses() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let store = fixture.store
        let id = try await store.ingest([EventFactory.event(version: "1.4.0")]).issueIDs[0]
        _ = try await store.setStatus(issueID: id, to: .resolved, at: EventFactory.epoch.adding(hours: 1))
        let back = EventFactory.epoch.adding(hours: 5)
        let summary = try await store.ingest([EventFactory.event(version: "1.5.0", at: back)], receivedAt: back)
        #expect(summary.regressions == 1)
        let detail = try #require(try await store.issue(id: id))
        #expect(detail.issue.status == .open)
        #expect(detail.issue.isRegression)
        #expect(detail.issue.regressedInVersion == "1.5.0")
        #expect(detail.issue.resolvedInVersion == nil)
        #expect(detail.statusHistory.map(\.cause) == [.created, .user, .regression])
        #expect(detail.statusHistory.last?.version == "1.5.0")
        #expect(detail.statusHistory.last?.at == back)
        // Resolving again clears the flag.
        let again = try #require(try await store.setStatus(issueID: id, to: .resolved))
        #expect(!again.isRegression)
        #expect(again.resolvedInVersion == "1.5.0")
    }

    @Test("issues resolved without any version reopen on the next event")
    func versionlessReopens() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let id = try await fixture.store.ingest([EventFactory.event(version: nil)]).issueIDs[0]
        _ = try await fixture.store.setStatus(issueID: id, to: .resolved)
        let summary = try await fixture.store.ingest([EventFactory.event(version: nil)])
        #expect(summary.regressions == 1)
        #expect(try await fixture.store.issue(id: id)?.issue.status == .open)
    }

    @Test("ignored and acknowledged issues keep their status and store events")
    func ignoredKeepsStatus() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let id = try await fixture.store.ingest([EventFactory.event()]).issueIDs[0]
        _ = try await fixture.store.setStatus(issueID: id, to: .ignored)
        let summary = try await fixture.store.ingest([EventFactory.event(version: "2.0.0")])
        #expect(summary.stored == 1)
        let issue = try #require(try await fixture.store.issue(id: id)?.issue)
        #expect(issue.status == .ignored)
        #expect(issue.count == 2)
        #expect(try await fixture.store.events(issueID: id).events.count == 2)
    }

    @Test("excluded issues count new events but store none")
    func excludedCountsWithoutStoring() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let store = fixture.store
        let first = try await store.ingest([EventFactory.event()])
        let id = first.issueIDs[0]
        let latestBefore = try #require(try await store.issue(id: id)?.latestEvent)
        _ = try await store.setStatus(issueID: id, to: .excluded)
        let later = EventFactory.epoch.adding(hours: 2)
        let summary = try await store.ingest((0..<5).map { _ in EventFactory.event(version: "1.1.0", at: later) })
        #expect(summary.excluded == 5)
        #expect(summary.stored == 0)
        let detail = try #require(try await store.issue(id: id))
        #expect(detail.issue.count == 6)
        #expect(detail.issue.status == .excluded)
        #expect(detail.issue.lastSeen == later)
        #expect(detail.issue.lastVersion == "1.1.0")
        #expect(detail.hourlyCounts.map(\.count) == [1, 5])
        #expect(detail.latestEvent?.id == latestBefore.id)
        #expect(try await store.events(issueID: id).events.map(\.id) == [latestBefore.id])
    }

    @Test("auto-resolve: quiet for the period and a newer clean version seen")
    func autoResolves() async throws {
        let fixture = try TemporaryStore(autoResolveAfter: 14 * 86400)
        defer { fixture.remove() }
        let store = fixture.store
        let t0 = EventFactory.epoch
        // Bug in 1.0.0; another error keeps the service's 1.0.0 and, later, 1.1.0 visible.
        let bug = try await store.ingest([EventFactory.event(type: "KeyError", version: "1.0.0", at: t0)], receivedAt: t0).issueIDs[0]
        let stale = try await store.ingest([EventFactory.event(type: "OldError", version: "1.0.0", at: t0)], receivedAt: t0).issueIDs[0]
        _ = try await store.setStatus(issueID: stale, to: .acknowledged, at: t0)
        // Same service in staging: never resolved by prod's versions.
        let staging = try await store.ingest([EventFactory.event(type: "KeyError", env: "staging", version: "1.0.0", at: t0)], receivedAt: t0).issueIDs[0]
        // 1.1.0 ships a day later, seen in non-error traffic only.
        let deploy = t0.adding(days: 1)
        try await store.ingest([], versionsSeen: [ServiceVersion(service: "checkout", env: "prod", version: "1.1.0")], receivedAt: deploy)

        // 13 days after the last sighting: too early.
        #expect(try await store.autoResolve(now: t0.adding(days: 13)) == 0)
        #expect(try await store.issue(id: bug)?.issue.status == .open)

        // 15 days: both prod issues resolve, staging stays open.
        let now = t0.adding(days: 15)
        #expect(try await store.autoResolve(now: now) == 2)
        let detail = try #require(try await store.issue(id: bug))
        #expect(detail.issue.status == .resolved)
        #expect(detail.issue.resolvedInVersion == "1.0.0")
        #expect(detail.statusHistory.last?.cause == .autoResolve)
        #expect(detail.statusHistory.last?.at == now)
        #expect(try await store.issue(id: stale)?.issue.status == .resolved)
        #expect(try await store.issue(id: staging)?.issue.status == .open)
        // Running again finds nothing new.
        #expect(try await store.autoResolve(now: now) == 0)
    }

    @Test("auto-resolve needs a version the issue never appeared in")
    func noCleanVersionNoAutoResolve() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let store = fixture.store
        let t0 = EventFactory.epoch
        let id = try await store.ingest([
            EventFactory.event(version: "1.0.0", at: t0),
            EventFactory.event(version: "1.1.0", at: t0.adding(days: 1)),
        ], receivedAt: t0.adding(days: 1)).issueIDs[0]
        // 1.1.0 keeps running but the issue appeared in it: not clean.
        try await store.ingest([], versionsSeen: [ServiceVersion(service: "checkout", env: "prod", version: "1.1.0")], receivedAt: t0.adding(days: 10))
        #expect(try await store.autoResolve(now: t0.adding(days: 30)) == 0)
        #expect(try await store.issue(id: id)?.issue.status == .open)
    }
}
