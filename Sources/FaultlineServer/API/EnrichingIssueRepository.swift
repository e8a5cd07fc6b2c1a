import FaultlineCore
import FaultlineEnrichment
import FaultlineStore
import Foundation

/// The store's reads, with every sample event's frames carrying `source` like the latest event's:
/// what `serve` answers when enrichment runs. Reads never clone or fetch (see `EventSourceReader`).
struct EnrichingIssueRepository: IssueRepository {
    let store: IssueStore
    let sources: EventSourceReader

    func issuePage(_ parameters: IssueListRequest) async throws -> IssuePageResponse {
        try await store.issuePage(parameters)
    }

    func issueDetail(id: Int64) async throws -> IssueDetailResponse? {
        try await store.issueDetail(id: id)
    }

    func eventPage(issueID: Int64, limit: Int, cursor: String?) async throws -> EventPageResponse? {
        guard let detail = try await store.issue(id: issueID) else { return nil }
        let page = try await store.storedEventPage(issueID: issueID, limit: limit, cursor: cursor)
        let traces = await sources.sources(of: page.events, firstSeen: detail.issue.firstSeen)
        let events = zip(page.events, traces).map { stored, trace in
            var event = EventResponse(stored: stored)
            event.attach(trace)
            return event
        }
        return EventPageResponse(events: events, nextCursor: page.nextCursor.map(String.init))
    }

    func changeStatus(issueID: Int64, to status: IssueStatus, actor: AuditActor) async throws -> Issue? {
        try await store.changeStatus(issueID: issueID, to: status, actor: actor)
    }

    func facetCounts(_ parameters: IssueListRequest) async throws -> [String: [FacetValue]] {
        try await store.facetCounts(parameters)
    }

    func services(from: Date?) async throws -> [ServiceSummary] {
        try await store.services(from: from)
    }

    func hourlyCounts(issueIDs: [Int64], from: Date, to: Date) async throws -> [Int64: [HourlyCount]] {
        try await store.hourlyCounts(issueIDs: issueIDs, from: from, to: to)
    }

    func exportIssues(_ parameters: IssueListRequest) -> AsyncThrowingStream<ExportedIssue, any Error> {
        store.exportIssues(parameters)
    }
}
