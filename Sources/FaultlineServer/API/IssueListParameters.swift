import FaultlineCore
import Foundation

/// The query-string parameters of `GET /api/v1/issues`, `/export` and `/facets`, validated.
public struct IssueListParameters: Sendable, Hashable {
    public var queryText: String
    public var query: IssueQuery
    public var sort: IssueSort
    public var from: Date?
    public var to: Date?
    public var limit: Int
    public var cursor: String?

    public static let defaultLimit = 50
    public static let maxLimit = 1000

    /// Parses raw parameters (`q` or `query`, `sort`, `order`, `from`, `to`, `limit`, `cursor`); bad
    /// values throw `APIError` 400, a bad query names its position.
    public init(parameters: [String: String]) throws(APIError) {
        queryText = parameters["q"] ?? parameters["query"] ?? ""
        do {
            query = try IssueQuery(parsing: queryText)
        } catch {
            throw APIError(.badRequest, error.description, position: error.column)
        }
        var sort = IssueSort.lastSeenDescending
        if let text = parameters["sort"], !text.isEmpty {
            guard let parsed = IssueSort(parsing: text) else {
                throw APIError.badRequest("sort must be count, lastSeen or firstSeen (optionally :asc or :desc)")
            }
            sort = parsed
        }
        if let order = parameters["order"], !order.isEmpty {
            switch order.lowercased() {
            case "asc": sort.descending = false
            case "desc": sort.descending = true
            default: throw APIError.badRequest("order must be asc or desc")
            }
        }
        self.sort = sort
        from = try Self.date(parameters["from"], name: "from")
        to = try Self.date(parameters["to"], name: "to")
        if let from, let to, from > to {
            throw APIError.badRequest("from must not be after to")
        }
        if let text = parameters["limit"], !text.isEmpty {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
                throw APIError.badRequest("limit must be an integer from 1 to \(Self.maxLimit)")
            }
            limit = value
        } else {
            limit = Self.defaultLimit
        }
        cursor = parameters["cursor"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Accepts ISO 8601 with or without fractional seconds, or a bare date (midnight UTC).
    static func date(_ text: String?, name: String) throws(APIError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let date = ISO8601Parsing.parse(text) { return date }
        throw APIError.badRequest("\(name) must be an ISO 8601 date or time, e.g. 2026-11-24T10:00:00Z")
    }
}

/// ISO 8601 parsing for query parameters and CLI options.
public enum ISO8601Parsing {
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
