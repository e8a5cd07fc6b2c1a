import FaultlineCore
import FaultlineStore
import Foundation

/// Adapts the store's reads and writes to the API's shapes and errors.
extension IssueStore: IssueRepository {
    public func issuePage(_ request: IssueListRequest) async throws -> IssuePageResponse {
        do {
            return try await issues(request)
        } catch let error as StoreError where error.kind == .invalidArgument {
            throw IssueListParameterError("cursor is not valid for this query and sort")
        }
    }

    public func issueDetail(id: Int64) async throws -> IssueDetailResponse? {
        guard let detail = try await issue(id: id) else { return nil }
        return IssueDetailResponse(detail: detail, sources: try await enrichedSources(of: detail))
    }

    public func eventPage(issueID: Int64, limit: Int, cursor: String?) async throws -> EventPageResponse? {
        guard try await issue(id: issueID) != nil else { return nil }
        let page = try await storedEventPage(issueID: issueID, limit: limit, cursor: cursor)
        return EventPageResponse(events: page.events.map(EventResponse.init(stored:)), nextCursor: page.nextCursor.map(String.init))
    }

    /// One page of stored events, the cursor checked as the API takes it.
    func storedEventPage(issueID: Int64, limit: Int, cursor: String?) async throws -> EventPage {
        var before: Int64?
        if let cursor {
            guard let value = Int64(cursor), value > 0 else { throw IssueListParameterError("cursor is not valid") }
            before = value
        }
        return try await events(issueID: issueID, limit: limit, before: before)
    }

    public func changeStatus(issueID: Int64, to status: IssueStatus, actor: AuditActor) async throws -> Issue? {
        try await setStatus(issueID: issueID, to: status, actor: actor)
    }

    public func facetCounts(_ request: IssueListRequest) async throws -> [String: [FacetValue]] {
        try await facets(request.query, from: request.from, to: request.to)
    }

    public func exportIssues(_ request: IssueListRequest) -> AsyncThrowingStream<ExportedIssue, any Error> {
        let details = ExportIterator(export(ExportRequest(query: request.query, from: request.from, to: request.to)), store: self)
        return AsyncThrowingStream { try await details.next() }
    }
}

/// Pulls one detail at a time from the store's export, so the response streams with constant memory.
/// @unchecked Sendable: the stream's unfolding closure is called by one consumer, one call at a time.
private final class ExportIterator: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<IssueDetail, any Error>.AsyncIterator
    private let store: IssueStore

    init(_ stream: AsyncThrowingStream<IssueDetail, any Error>, store: IssueStore) {
        iterator = stream.makeAsyncIterator()
        self.store = store
    }

    func next() async throws -> IssueDetailResponse? {
        guard let detail = try await iterator.next() else { return nil }
        return IssueDetailResponse(detail: detail, sources: try await store.enrichedSources(of: detail))
    }
}
