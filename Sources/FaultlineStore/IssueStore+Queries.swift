import FaultlineCore
import Foundation
import GRDB

/// Reading issues, their details, events, facets and exports.
extension IssueStore {
    /// One page of issues matching the request, in its order.
    public func issues(_ request: IssueListRequest, now: Date = Date()) async throws -> IssuePage {
        let limit = min(max(request.limit, 1), 1000)
        let column: String
        switch request.sort.field {
        case .count: column = "issue.count"
        case .lastSeen: column = "issue.last_seen"
        case .firstSeen: column = "issue.first_seen"
        }
        let direction = request.sort.descending ? "DESC" : "ASC"
        let position = try request.cursor.map { text in
            guard let cursor = IssueCursor(text), cursor.sort == request.sort else {
                throw StoreError(.invalidArgument, operation: "issues", detail: "cursor does not belong to this sort")
            }
            return cursor
        }
        return try await perform("issues") { pool in
            try await pool.read { db in
                var filter = IssueFilter(query: request.query, from: request.from, to: request.to, now: now)
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM issue \(filter.whereSQL)", arguments: filter.arguments) ?? 0
                if let position {
                    let op = request.sort.descending ? "<" : ">"
                    filter.append("\(column) \(op) ? OR (\(column) = ? AND issue.id \(op) ?)", [position.value, position.value, position.id])
                }
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(IssueRow.columns), \(column) AS sort_value FROM issue \(filter.whereSQL) ORDER BY \(column) \(direction), issue.id \(direction) LIMIT ?",
                    arguments: filter.arguments + [limit + 1])
                let page = Array(rows.prefix(limit))
                let issues = try IssueRow.issues(db, rows: page, now: now, operation: "issues")
                var next: String?
                if rows.count > limit, let last = page.last {
                    next = IssueCursor(sort: request.sort, value: last["sort_value"], id: last["id"]).text
                }
                return IssuePage(issues: issues, nextCursor: next, total: total)
            }
        }
    }

    /// An issue with its latest event, hourly counts, status history, versions, hosts and containers; nil when unknown.
    public func issue(id: Int64, now: Date = Date()) async throws -> IssueDetail? {
        try await perform("issue") { pool in
            try await pool.read { db in
                try Self.fetchDetail(db, id: id, now: now, operation: "issue")
            }
        }
    }

    /// Sample events of an issue, newest first; `before` is the previous page's ``EventPage/nextCursor``.
    public func events(issueID: Int64, limit: Int = 20, before: Int64? = nil) async throws -> EventPage {
        let limit = min(max(limit, 1), 1000)
        return try await perform("events") { pool in
            try await pool.read { db in
                let decoder = JSONDecoder()
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(IssueRow.eventColumns) FROM event WHERE issue_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                    arguments: [issueID, before ?? Int64.max, limit + 1])
                let events = try rows.prefix(limit).map { try IssueRow.storedEvent($0, decoder: decoder, operation: "events") }
                return EventPage(events: events, nextCursor: rows.count > limit ? events.last?.id : nil)
            }
        }
    }

    /// Counts of matching issues per value of `service`, `env`, `version`, `status`, `error.type`, `language`
    /// and `host` (at most `limit` values each, most frequent first; empty values left out).
    public func facets(_ query: IssueQuery, from: Date? = nil, to: Date? = nil, limit: Int = 20, now: Date = Date()) async throws -> [String: [FacetCount]] {
        let limit = min(max(limit, 1), 1000)
        return try await perform("facets") { pool in
            try await pool.read { db in
                let filter = IssueFilter(query: query, from: from, to: to, now: now)
                var result: [String: [FacetCount]] = [:]
                let columns: [(IssueQueryKey, String)] = [
                    (.service, "issue.service"), (.env, "issue.env"), (.status, "issue.status"),
                    (.errorType, "issue.error_type"), (.language, "issue.language"),
                ]
                for (key, column) in columns {
                    result[key.rawValue] = try Self.facet(db, sql: """
                        SELECT \(column) AS value, COUNT(*) AS count FROM issue \(filter.whereSQL)
                        GROUP BY 1 HAVING \(column) <> '' ORDER BY 2 DESC, 1 LIMIT ?
                        """, arguments: filter.arguments + [limit])
                }
                result[IssueQueryKey.version.rawValue] = try Self.facet(db, sql: """
                    SELECT facet.value AS value, COUNT(*) AS count FROM issue_stat facet JOIN issue ON issue.id = facet.issue_id AND facet.kind = \(StatKind.version.rawValue) \(filter.whereSQL)
                    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?
                    """, arguments: filter.arguments + [limit])
                result[IssueQueryKey.host.rawValue] = try Self.facet(db, sql: """
                    SELECT facet.value AS value, COUNT(*) AS count FROM issue_stat facet JOIN issue ON issue.id = facet.issue_id AND facet.kind = \(StatKind.host.rawValue) \(filter.whereSQL)
                    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?
                    """, arguments: filter.arguments + [limit])
                return result
            }
        }
    }

    /// Streams the details of every matching issue, by id, reading a page at a time (constant memory).
    public func export(_ request: ExportRequest = ExportRequest(), now: Date = Date()) -> AsyncThrowingStream<IssueDetail, any Error> {
        let cursor = ExportCursor(pool: pool, request: request, now: now)
        return AsyncThrowingStream { try await cursor.next() }
    }

    private static func facet(_ db: Database, sql: String, arguments: StatementArguments) throws -> [FacetCount] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { FacetCount(value: $0["value"], count: $0["count"]) }
    }

    static func fetchIssue(_ db: Database, id: Int64, now: Date, operation: String) throws -> Issue? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(IssueRow.columns) FROM issue WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try IssueRow.issues(db, rows: [row], now: now, operation: operation).first
    }

    /// Hosts and containers listed in a detail, most events first (an issue may touch thousands of containers).
    static let placesPerDetail = 100

    static func fetchDetail(_ db: Database, id: Int64, now: Date, operation: String) throws -> IssueDetail? {
        guard let issue = try fetchIssue(db, id: id, now: now, operation: operation) else { return nil }
        var latest: StoredEvent?
        if let eventID = issue.latestEventID,
           let row = try Row.fetchOne(db, sql: "SELECT \(IssueRow.eventColumns) FROM event WHERE id = ?", arguments: [eventID]) {
            latest = try IssueRow.storedEvent(row, decoder: JSONDecoder(), operation: operation)
        }
        let hours = try Row.fetchAll(db, sql: "SELECT value, count FROM issue_stat WHERE issue_id = ? AND kind = \(StatKind.hour.rawValue) ORDER BY value", arguments: [id])
            .map { HourlyCount(hour: StoreTime.date(hour: $0["value"]), count: $0["count"]) }
        let history = try Row.fetchAll(
            db, sql: "SELECT from_status, to_status, at, cause, version, actor FROM status_change WHERE issue_id = ? ORDER BY id", arguments: [id]
        ).map { row in
            let from: String? = row["from_status"]
            let to: String = row["to_status"]
            let cause: String = row["cause"]
            guard let toStatus = IssueStatus(rawValue: to), let cause = StatusChange.Cause(rawValue: cause) else {
                throw StoreError(.corruptData, operation: operation, detail: "unknown status or cause in status history")
            }
            let actor: String? = row["actor"]
            return StatusChange(
                from: from.flatMap(IssueStatus.init(rawValue:)), to: toStatus, at: StoreTime.date(millis: row["at"]), cause: cause, version: row["version"],
                actor: actor.flatMap(AuditActor.init(storedText:)))
        }
        let versions = try Row.fetchAll(
            db, sql: "SELECT value, count, first_seen, last_seen FROM issue_stat WHERE issue_id = ? AND kind = \(StatKind.version.rawValue) ORDER BY first_seen, value", arguments: [id]
        ).map(seenValue)
        func places(_ kind: StatKind) throws -> [SeenValue] {
            try Row.fetchAll(
                db,
                sql: "SELECT value, count, first_seen, last_seen FROM issue_stat WHERE issue_id = ? AND kind = ? ORDER BY count DESC, value LIMIT ?",
                arguments: [id, kind.rawValue, placesPerDetail]
            ).map(seenValue)
        }
        return IssueDetail(
            issue: issue,
            latestEvent: latest,
            hourlyCounts: hours,
            statusHistory: history,
            versions: versions,
            hosts: try places(.host),
            containers: try places(.container)
        )
    }

    private static func seenValue(_ row: Row) -> SeenValue {
        SeenValue(value: row["value"], count: row["count"], firstSeen: StoreTime.date(millis: row["first_seen"]), lastSeen: StoreTime.date(millis: row["last_seen"]))
    }
}
