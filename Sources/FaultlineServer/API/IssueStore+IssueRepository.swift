import FaultlineCore
import FaultlineStore
import Foundation

/// Adapts the store's reads and writes to the API's shapes and errors.
extension IssueStore: IssueRepository {
    public func issuePage(_ parameters: IssueListParameters) async throws -> IssuePageResponse {
        let request = IssueListRequest(
            query: parameters.query, sort: parameters.sort, from: parameters.from, to: parameters.to,
            limit: parameters.limit, cursor: parameters.cursor
        )
        do {
            let page = try await issues(request)
            return IssuePageResponse(issues: page.issues, nextCursor: page.nextCursor, total: page.total)
        } catch let error as StoreError where error.kind == .invalidArgument {
            throw APIError.badRequest("cursor is not valid for this query and sort")
        }
    }

    public func issueDetail(id: Int64) async throws -> IssueDetailResponse? {
        try await issue(id: id).map(IssueDetailResponse.init(detail:))
    }

    public func eventPage(issueID: Int64, limit: Int, cursor: String?) async throws -> EventPageResponse? {
        var before: Int64?
        if let cursor {
            guard let value = Int64(cursor), value > 0 else { throw APIError.badRequest("cursor is not valid") }
            before = value
        }
        guard try await issue(id: issueID) != nil else { return nil }
        let page = try await events(issueID: issueID, limit: limit, before: before)
        return EventPageResponse(events: page.events.map(EventResponse.init(stored:)), nextCursor: page.nextCursor.map(String.init))
    }

    public func changeStatus(issueID: Int64, to status: IssueStatus) async throws -> Issue? {
        try await setStatus(issueID: issueID, to: status)
    }

    public func facetCounts(_ parameters: IssueListParameters) async throws -> [String: [FacetValue]] {
        try await facets(parameters.query, from: parameters.from, to: parameters.to).mapValues { counts in
            counts.map { FacetValue(value: $0.value, count: $0.count) }
        }
    }

    public func exportIssues(_ parameters: IssueListParameters) -> AsyncThrowingStream<ExportedIssue, any Error> {
        let details = ExportIterator(export(ExportRequest(query: parameters.query, from: parameters.from, to: parameters.to)))
        return AsyncThrowingStream { try await details.next() }
    }
}

/// Pulls one detail at a time from the store's export, so the response streams with constant memory.
/// @unchecked Sendable: the stream's unfolding closure is called by one consumer, one call at a time.
private final class ExportIterator: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<IssueDetail, any Error>.AsyncIterator

    init(_ stream: AsyncThrowingStream<IssueDetail, any Error>) {
        iterator = stream.makeAsyncIterator()
    }

    func next() async throws -> IssueDetailResponse? {
        try await iterator.next().map(IssueDetailResponse.init(detail:))
    }
}
