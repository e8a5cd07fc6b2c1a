import FaultlineCore
import FaultlineStore
import Foundation

/// A query-string parameter of `GET /api/v1/issues`, `/export` or `/facets` (or a CLI option that
/// feeds one) that is not valid. The HTTP layer answers it 400; the CLI prints it.
public struct IssueListParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the parameter.
    public var reason: String
    /// 1-based character position in the query text, for query-language errors.
    public var position: Int?

    /// An error with a reason and, for a bad query, its position.
    public init(_ reason: String, position: Int? = nil) {
        self.reason = reason
        self.position = position
    }

    /// The reason.
    public var description: String { reason }
}

extension IssueListRequest {
    /// Parses the raw parameters of `GET /api/v1/issues`, `/export` and `/facets` (`q` or `query`,
    /// `sort`, `order`, `from`, `to`, `limit`, `cursor`); a bad query names its position.
    public init(parameters: [String: String]) throws(IssueListParameterError) {
        let queryText = parameters["q"] ?? parameters["query"] ?? ""
        let query: IssueQuery
        do {
            query = try IssueQuery(parsing: queryText)
        } catch {
            throw IssueListParameterError(error.description, position: error.column)
        }
        var sort = IssueSort.lastSeenDescending
        if let text = parameters["sort"], !text.isEmpty {
            guard let parsed = IssueSort(parsing: text) else {
                throw IssueListParameterError("sort must be count, lastSeen or firstSeen (optionally :asc or :desc)")
            }
            sort = parsed
        }
        if let order = parameters["order"], !order.isEmpty {
            switch order.lowercased() {
            case "asc": sort.descending = false
            case "desc": sort.descending = true
            default: throw IssueListParameterError("order must be asc or desc")
            }
        }
        let from = try Self.date(parameters["from"], name: "from")
        let to = try Self.date(parameters["to"], name: "to")
        if let from, let to, from > to {
            throw IssueListParameterError("from must not be after to")
        }
        let limit = try Self.limit(parameters["limit"])
        let cursor = parameters["cursor"].flatMap { $0.isEmpty ? nil : $0 }
        self.init(query: query, sort: sort, from: from, to: to, limit: limit, cursor: cursor)
    }

    /// A `limit` parameter: absent means the default page size.
    public static func limit(_ text: String?) throws(IssueListParameterError) -> Int {
        guard let text, !text.isEmpty else { return defaultLimit }
        guard let value = Int(text), (1...maxLimit).contains(value) else {
            throw IssueListParameterError("limit must be an integer from 1 to \(maxLimit)")
        }
        return value
    }

    /// Accepts ISO 8601 with or without fractional seconds, or a bare date (midnight UTC).
    static func date(_ text: String?, name: String) throws(IssueListParameterError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let date = ISO8601Parsing.parse(text) { return date }
        throw IssueListParameterError("\(name) must be an ISO 8601 date or time, e.g. 2026-11-24T10:00:00Z")
    }
}

/// ISO 8601 parsing for query parameters and CLI options.
public enum ISO8601Parsing {
    /// The date `text` names, or nil.
    public static func parse(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }
}
