import FaultlineCore
import Foundation

/// A page request over issues: filter, order, time range, page size and position.
public struct IssueListRequest: Sendable, Hashable, Codable {
    public var query: IssueQuery
    public var sort: IssueSort
    /// Keep issues with at least one event at or after this time (hour precision).
    public var from: Date?
    /// Keep issues with at least one event before this time (hour precision).
    public var to: Date?
    /// Page size, clamped to 1...``maxLimit``.
    public var limit: Int
    /// ``IssuePage/nextCursor`` of the previous page; nil for the first page.
    public var cursor: String?

    /// The page size when none is asked for.
    public static let defaultLimit = 50
    /// The largest page size.
    public static let maxLimit = 1000

    /// A request; the defaults ask for the first page of every issue, most recently seen first.
    public init(query: IssueQuery = .all, sort: IssueSort = .lastSeenDescending, from: Date? = nil, to: Date? = nil, limit: Int = defaultLimit, cursor: String? = nil) {
        self.query = query
        self.sort = sort
        self.from = from
        self.to = to
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of issues; also the body of `GET /api/v1/issues` (`IssuePageResponse`).
public struct IssuePage: Sendable, Hashable, Codable {
    /// The page's issues, in the request's order.
    public var issues: [Issue]
    /// Pass as ``IssueListRequest/cursor`` to get the next page; nil on the last page.
    public var nextCursor: String?
    /// Issues matching the request in all pages.
    public var total: Int

    /// A page.
    public init(issues: [Issue], nextCursor: String?, total: Int) {
        self.issues = issues
        self.nextCursor = nextCursor
        self.total = total
    }
}
