import FaultlineTestSupport
import FaultlineCore
import FaultlineStore
import Foundation
import Testing

/// Checks the SQL translation of queries against a plain Swift reading of the same semantics,
/// over many generated term combinations on a varied data set.
@Suite("Issue queries: SQL against a reference")
struct IssueQueryDifferentialTests {
    static let termPool = [
        "service:checkout", "service:bill*", "env:prod", "env:staging", "version:1.4.*", "version:2.*", "version:*rc*",
        "status:open", "status:resolved", "error.type:KeyError", "@error.type:*Error", "host:web-1", "host:web-*",
        "container:c-1*", "language:python", "language:jvm", "is:regression", "is:new", "timed", "\"50%\"", "user_",
        "error.message:*null*", "KEY", "[a]",
    ]

    /// The reference: what each term means, read directly off the issue detail.
    static func matches(_ term: IssueQueryTerm, _ detail: IssueDetail, now: Date) -> Bool {
        let issue = detail.issue
        let result: Bool
        switch term.condition {
        case .text(let text):
            let needle = text.lowercased()
            result = [issue.errorType, issue.message, issue.latestMessage ?? ""].contains { $0.lowercased().contains(needle) }
        case .flag(.new):
            result = now.timeIntervalSince(issue.firstSeen) < Issue.newPeriod
        case .flag(.regression):
            result = issue.isRegression
        case .facet(let key, let pattern):
            switch key {
            case .service: result = pattern.matches(issue.service)
            case .env: result = pattern.matches(issue.env ?? "")
            case .status: result = pattern.matches(issue.status.rawValue)
            case .errorType: result = pattern.matches(issue.errorType)
            case .errorMessage: result = pattern.matches(issue.message) || pattern.matches(issue.latestMessage ?? "")
            case .language: result = pattern.matches(issue.language ?? "")
            case .fingerprint: result = pattern.matches(issue.fingerprint)
            case .version: result = issue.versions.contains(where: pattern.matches)
            case .host: result = detail.hosts.map(\.value).contains(where: pattern.matches)
            case .container: result = detail.containers.map(\.value).contains(where: pattern.matches)
            case .is: result = false
            }
        }
        return term.negated ? !result : result
    }

    @Test("generated queries select the same issues as the reference")
    func differential() async throws {
        let fixture = try TemporaryStore()
        defer { fixture.remove() }
        let store = fixture.store
        let t0 = EventFactory.epoch
        let services = ["checkout", "billing", "search"]
        let envs: [String?] = ["prod", "staging", nil]
        let versions: [String?] = ["1.4.2", "1.4.10", "2.0.0-rc1", "2.1.0", nil]
        let types = ["KeyError", "ValueError", "java.lang.NullPointerException", "TimeoutError"]
        let messages = ["'user_42'", "read timed out after 50% of budget", "value is null", "[a] bracket"]
        let languages: [String?] = ["python", "jvm", nil]
        var ids: [Int64] = []
        for index in 0..<60 {
            let event = EventFactory.event(
                type: types[index % types.count], message: messages[(index / 4) % messages.count],
                service: services[index % services.count], env: envs[(index / 3) % envs.count],
                version: versions[(index / 2) % versions.count], at: t0.adding(days: -Double(index % 4)),
                host: index % 5 == 0 ? nil : "web-\(index % 3)", container: index % 2 == 0 ? "c-\(index % 13)" : nil,
                language: languages[(index / 5) % languages.count], fingerprint: "fp-\(index % 45)")
            ids.append(try await store.ingest([event], receivedAt: t0).issueIDs[0])
        }
        let unique = Array(Set(ids)).sorted()
        for (offset, id) in unique.enumerated() where offset % 4 == 0 {
            _ = try await store.setStatus(issueID: id, to: .resolved)
        }
        // Regressions for some resolved issues.
        for (offset, id) in unique.enumerated() where offset % 8 == 0 {
            let detail = try #require(try await store.issue(id: id))
            let event = detail.latestEvent.map { stored -> GroupedEvent in
                var copy = stored.event
                copy.event.version = "3.0.0"
                return copy
            }
            if let event { _ = try await store.ingest([event], receivedAt: t0) }
        }
        var details: [IssueDetail] = []
        for id in unique {
            details.append(try #require(try await store.issue(id: id, now: t0)))
        }

        var generator = SplitMix64(seed: 20261125)
        var checked = 0
        for _ in 0..<150 {
            let count = Int.random(in: 1...3, using: &generator)
            let text = (0..<count).map { _ in
                (Bool.random(using: &generator) ? "-" : "") + (Self.termPool.randomElement(using: &generator) ?? "")
            }.joined(separator: " ")
            let query = try IssueQuery(parsing: text)
            let page = try await store.issues(IssueListRequest(query: query, sort: IssueSort(.firstSeen), limit: 1000), now: t0)
            let expected = Set(details.filter { detail in query.terms.allSatisfy { Self.matches($0, detail, now: t0) } }.map(\.issue.id))
            #expect(Set(page.issues.map(\.id)) == expected, "query: \(text)")
            #expect(page.total == expected.count, "query: \(text)")
            checked += expected.isEmpty ? 0 : 1
        }
        // The generated queries are not all empty: the comparison has something to compare.
        #expect(checked > 20)
    }
}
