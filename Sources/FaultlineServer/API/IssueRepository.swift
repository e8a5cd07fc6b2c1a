import FaultlineCore
import FaultlineStore
import Foundation

/// What the API and the CLI read and change in the store, in the API's own shapes. The store
/// conforms through an adapter (`IssueStore+IssueRepository.swift`), so the JSON contract stays here.
public protocol IssueRepository: Sendable {
    func issuePage(_ parameters: IssueListRequest) async throws -> IssuePageResponse
    func issueDetail(id: Int64) async throws -> IssueDetailResponse?
    /// nil when the issue does not exist.
    func eventPage(issueID: Int64, limit: Int, cursor: String?) async throws -> EventPageResponse?
    /// The updated issue, or nil when it does not exist; `actor` is kept in its status history.
    func changeStatus(issueID: Int64, to status: IssueStatus, actor: AuditActor) async throws -> Issue?
    func facetCounts(_ parameters: IssueListRequest) async throws -> [String: [FacetValue]]
    /// Every service with its versions, traffic and error rates; hourly traffic since `from`.
    func services(from: Date?) async throws -> [ServiceSummary]
    /// Hourly counts of `issueIDs` over `from ... to`, from the hourly rollup, in one read.
    func hourlyCounts(issueIDs: [Int64], from: Date, to: Date) async throws -> [Int64: [HourlyCount]]
    /// Every matching issue in the parameters' order, ignoring `limit` and `cursor`.
    func exportIssues(_ parameters: IssueListRequest) -> AsyncThrowingStream<ExportedIssue, any Error>
}
