import FaultlineCore
import FaultlineStore
import Foundation
import Testing

@Suite("Issue queries against the store")
struct IssueQueryExecutionTests {
    /// Six issues with distinct services, envs, versions, hosts, types, counts and times.
    struct Seeded {
        let fixture: TemporaryStore
        /// Issue id by a short name.
        let ids: [String: Int64]

        var store: IssueStore { fixture.store }

        init() async throws {
            fixture = try TemporaryStore()
            let t0 = EventFactory.epoch
            let specs: [(String, GroupedEvent, Int)] = [
                ("checkout-prod", EventFactory.event(type: "KeyError", message: "'user-42'", service: "checkout", env: "prod", version: "1.4.2", at: t0, host: "web-1"), 5),
                ("checkout-staging", EventFactory.event(type: "KeyError", message: "'user-42'", service: "checkout", env: "staging", version: "1.5.0-rc1", at: t0.adding(hours: 1), host: "stage-1"), 1),
                ("billing-timeout", EventFactory.event(type: "ReadTimeoutError", message: "HTTPSConnectionPool(host='pay.example', port=443): Read timed out.", service: "billing", env: "prod", version: "2.0.0", at: t0.adding(hours: 2), host: "web-2"), 3),
                ("billing-value", EventFactory.event(type: "ValueError", message: "invalid literal for int() with base 10: 'abc'", service: "billing", env: "prod", version: "2.1.0", at: t0.adding(hours: 3), host: "web-1", language: "python"), 8),
                ("search-npe", EventFactory.event(type: "java.lang.NullPointerException", message: "Cannot invoke \"String.length()\" because \"q\" is null", service: "search", env: "prod", version: "1.4.10", at: t0.adding(hours: 4), host: "web-3", language: "jvm"), 2),
                ("noenv", EventFactory.event(type: "RuntimeError", message: "100% [done]_x", service: "cron", env: nil, version: nil, at: t0.adding(hours: 5), host: nil, language: nil), 4),
            ]
            var ids: [String: Int64] = [:]
            for (name, event, count) in specs {
                let events = (0..<count).map { _ in
                    EventFactory.event(
                        type: event.event.errorType, message: event.event.errorMessage, service: event.event.service,
                        env: event.event.env, version: event.event.version,
                        at: Date(timeIntervalSince1970: TimeInterval(event.event.startNanos) / 1e9),
                        host: event.event.hostTags["host"], language: event.event.language)
                }
                ids[name] = try await fixture.store.ingest(events, receivedAt: t0.adding(hours: 6)).issueIDs[0]
            }
            self.ids = ids
            _ = try await fixture.store.setStatus(issueID: ids["billing-value"] ?? 0, to: .resolved)
        }
    }

    static let cases: [(String, [String])] = [
        ("", ["checkout-prod", "checkout-staging", "billing-timeout", "billing-value", "search-npe", "noenv"]),
        ("service:checkout", ["checkout-prod", "checkout-staging"]),
        ("service:checkout env:prod", ["checkout-prod"]),
        ("service:checkout -env:staging", ["checkout-prod"]),
        ("-service:checkout -service:billing", ["search-npe", "noenv"]),
        ("version:1.4.*", ["checkout-prod", "search-npe"]),
        ("version:1.4.1*", ["search-npe"]),
        ("-version:1.4.*", ["checkout-staging", "billing-timeout", "billing-value", "noenv"]),
        ("version:*-rc*", ["checkout-staging"]),
        ("status:open", ["checkout-prod", "checkout-staging", "billing-timeout", "search-npe", "noenv"]),
        ("status:resolved", ["billing-value"]),
        ("-status:open", ["billing-value"]),
        ("error.type:KeyError", ["checkout-prod", "checkout-staging"]),
        ("@error.type:java.lang.*", ["search-npe"]),
        ("host:web-1", ["checkout-prod", "billing-value"]),
        ("host:web-*", ["checkout-prod", "billing-timeout", "billing-value", "search-npe"]),
        ("language:jvm", ["search-npe"]),
        ("-language:python", ["search-npe", "noenv"]),
        ("\"timed out\"", ["billing-timeout"]),
        ("TIMED", ["billing-timeout"]),
        ("keyerror", ["checkout-prod", "checkout-staging"]),
        ("-keyerror -timeout", ["billing-value", "search-npe", "noenv"]),
        ("invalid literal", ["billing-value"]),
        ("\"100%\"", ["noenv"]),
        ("_x", ["noenv"]),
        ("%", ["noenv"]),
        ("error.message:*null", ["search-npe"]),
        ("is:new", ["checkout-prod", "checkout-staging", "billing-timeout", "billing-value", "search-npe", "noenv"]),
        ("service:nothing", []),
    ]

    @Test("filters: facets, wildcards, negation, free text", arguments: cases)
    func filters(text: String, expected: [String]) async throws {
        let seeded = try await Seeded()
        defer { seeded.fixture.remove() }
        let query = try IssueQuery(parsing: text)
        let page = try await seeded.store.issues(IssueListRequest(query: query, sort: IssueSort(.firstSeen, descending: false), limit: 100), now: EventFactory.epoch)
        let names = Dictionary(uniqueKeysWithValues: seeded.ids.map { ($1, $0) })
        #expect(page.issues.map { names[$0.id] ?? "?" } == expected)
        #expect(page.total == expected.count)
    }

    @Test("is:new and is:regression follow first-seen time and regressions")
    func flags() async throws {
        let seeded = try await Seeded()
        defer { seeded.fixture.remove() }
        let later = EventFactory.epoch.adding(days: 3)
        #expect(try await seeded.store.issues(IssueListRequest(query: IssueQuery(parsing: "is:new")), now: later).total == 0)
        let id = try #require(seeded.ids["billing-value"])
        _ = try await seeded.store.ingest([EventFactory.event(type: "ValueError", message: "invalid literal for int() with base 10: 'abc'", service: "billing", version: "2.2.0", at: later)], receivedAt: later)
        let regressions = try await seeded.store.issues(IssueListRequest(query: IssueQuery(parsing: "is:regression")), now: later)
        #expect(regressions.issues.map(\.id) == [id])
        #expect(regressions.issues.first?.regressedInVersion == "2.2.0")
    }

    @Test("sorts by count, last seen and first seen, both directions", arguments: [
        (IssueSort(.count), ["billing-value", "checkout-prod", "noenv", "billing-timeout", "search-npe", "checkout-staging"]),
        (IssueSort(.count, descending: false), ["checkout-staging", "search-npe", "billing-timeout", "noenv", "checkout-prod", "billing-value"]),
        (IssueSort(.lastSeen), ["noenv", "search-npe", "billing-value", "billing-timeout", "checkout-staging", "checkout-prod"]),
        (IssueSort(.firstSeen, descending: false), ["checkout-prod", "checkout-staging", "billing-timeout", "billing-value", "search-npe", "noenv"]),
    ])
    func sorts(sort: IssueSort, expected: [String]) async throws {
        let seeded = try await Seeded()
        defer { seeded.fixture.remove() }
        let names = Dictionary(uniqueKeysWithValues: seeded.ids.map { ($1, $0) })
        let page = try await seeded.store.issues(IssueListRequest(sort: sort))
        #expect(page.issues.map { names[$0.id] ?? "?" } == expected)
    }

    @Test("cursor pagination walks every issue exactly once, for each sort", arguments: [
        IssueSort(.count), IssueSort(.count, descending: false), IssueSort(.lastSeen), IssueSort(.firstSeen, descending: false),
    ])
    func pagination(sort: IssueSort) async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        // 23 issues, many with equal counts and times, so ties must be broken by id.
        let events = (0..<23).flatMap { i in
            (0..<(i % 4 + 1)).map { _ in EventFactory.event(type: "E\(i)", at: EventFactory.epoch.adding(hours: Double(i % 3))) }
        }
        _ = try await fixture.store.ingest(events)
        let full = try await fixture.store.issues(IssueListRequest(sort: sort, limit: 100)).issues.map(\.id)
        var walked: [Int64] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await fixture.store.issues(IssueListRequest(sort: sort, limit: 5, cursor: cursor))
            #expect(page.total == 23)
            walked += page.issues.map(\.id)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 5)
        #expect(walked == full)
        #expect(Set(walked).count == 23)
    }

    @Test("a cursor from another sort or a garbled one is rejected")
    func badCursor() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        _ = try await fixture.store.ingest((0..<3).map { EventFactory.event(type: "E\($0)") })
        let page = try await fixture.store.issues(IssueListRequest(sort: IssueSort(.count), limit: 1))
        let cursor = try #require(page.nextCursor)
        await #expect(throws: StoreError.self) {
            try await fixture.store.issues(IssueListRequest(sort: IssueSort(.lastSeen), limit: 1, cursor: cursor))
        }
        let error = await #expect(throws: StoreError.self) {
            try await fixture.store.issues(IssueListRequest(limit: 1, cursor: "'; DROP TABLE issue; --"))
        }
        // Descriptions name the operation, never the values passed in.
        #expect(error?.description.contains("issues") == true)
        #expect(error?.description.contains("DROP") == false)
        #expect(error?.kind == .invalidArgument)
    }

    @Test("time range keeps issues with events inside it (hour precision)")
    func timeRange() async throws {
        let seeded = try await Seeded()
        defer { seeded.fixture.remove() }
        let byID = Dictionary(uniqueKeysWithValues: seeded.ids.map { ($1, $0) })
        let t0 = EventFactory.epoch
        func names(from: Date?, to: Date?) async throws -> [String] {
            try await seeded.store.issues(IssueListRequest(sort: IssueSort(.firstSeen, descending: false), from: from, to: to))
                .issues.map { byID[$0.id] ?? "?" }
        }
        #expect(try await names(from: t0.adding(hours: 2), to: t0.adding(hours: 4)) == ["billing-timeout", "billing-value"])
        #expect(try await names(from: t0.adding(hours: 4), to: nil) == ["search-npe", "noenv"])
        #expect(try await names(from: nil, to: t0.adding(hours: 1)) == ["checkout-prod"])
        #expect(try await names(from: t0.adding(days: 1), to: nil) == [])
    }

    @Test("time range skips issues whose events fall around it but not in it")
    func timeRangeGap() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let h0 = Date(timeIntervalSince1970: (EventFactory.epoch.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
        let id = try await fixture.store.ingest([EventFactory.event(at: h0.adding(hours: 0.5)), EventFactory.event(at: h0.adding(hours: 5.5))]).issueIDs[0]
        let gap = try await fixture.store.issues(IssueListRequest(from: h0.adding(hours: 2), to: h0.adding(hours: 3)))
        #expect(gap.issues.isEmpty)
        let hit = try await fixture.store.issues(IssueListRequest(from: h0.adding(hours: 5), to: h0.adding(hours: 6)))
        #expect(hit.issues.map(\.id) == [id])
    }

    @Test("facets count matching issues per value")
    func facets() async throws {
        let seeded = try await Seeded()
        defer { seeded.fixture.remove() }
        let all = try await seeded.store.facets(.all)
        #expect(all["service"] == [
            FacetCount(value: "billing", count: 2), FacetCount(value: "checkout", count: 2),
            FacetCount(value: "cron", count: 1), FacetCount(value: "search", count: 1),
        ])
        #expect(all["env"] == [FacetCount(value: "prod", count: 4), FacetCount(value: "staging", count: 1)])
        #expect(all["status"] == [FacetCount(value: "open", count: 5), FacetCount(value: "resolved", count: 1)])
        #expect(all["language"] == [FacetCount(value: "python", count: 4), FacetCount(value: "jvm", count: 1)])
        #expect(all["error.type"]?.first == FacetCount(value: "KeyError", count: 2))
        #expect(all["version"]?.count == 5)
        #expect(all["host"]?.first == FacetCount(value: "web-1", count: 2))
        let prod = try await seeded.store.facets(IssueQuery(parsing: "env:prod -service:search"))
        #expect(prod["service"] == [FacetCount(value: "billing", count: 2), FacetCount(value: "checkout", count: 1)])
        let filteredByVersion = try await seeded.store.facets(IssueQuery(parsing: "version:1.4.* host:web-*"))
        #expect(filteredByVersion["version"] == [FacetCount(value: "1.4.10", count: 1), FacetCount(value: "1.4.2", count: 1)])
        #expect(filteredByVersion["host"] == [FacetCount(value: "web-1", count: 1), FacetCount(value: "web-3", count: 1)])
        #expect(prod["version"] == [
            FacetCount(value: "1.4.2", count: 1), FacetCount(value: "2.0.0", count: 1), FacetCount(value: "2.1.0", count: 1),
        ])
    }

    @Test("export streams every matching issue with its latest event")
    func export() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        // More than one export page.
        _ = try await fixture.store.ingest((0..<250).map { EventFactory.event(type: "E\($0)", service: $0 % 2 == 0 ? "even" : "odd") })
        var exported: [IssueDetail] = []
        let request = ExportRequest(query: try IssueQuery(parsing: "service:even"))
        for try await detail in fixture.store.export(request) {
            exported.append(detail)
        }
        #expect(exported.count == 125)
        #expect(exported.allSatisfy { $0.issue.service == "even" && $0.latestEvent != nil })
        #expect(exported.map(\.issue.id) == exported.map(\.issue.id).sorted())
        var everything = 0
        for try await _ in fixture.store.export() { everything += 1 }
        #expect(everything == 250)
    }
}
