import FaultlineCore
import Foundation
import GRDB

/// Reading issues and their parts out of rows.
enum IssueRow {
    /// Columns of `issue` that ``decode(_:versions:now:operation:)`` reads by name (prefix `issue.` usable in joins).
    static let columns = """
        issue.id, issue.fingerprint, issue.grouping_version, issue.service, issue.env, issue.error_type, \
        issue.message, issue.latest_message, issue.language, issue.culprit, issue.status, issue.status_changed_at, \
        issue.is_regression, issue.regressed_in_version, issue.resolved_in_version, issue.count, issue.first_seen, \
        issue.last_seen, issue.first_version, issue.last_version, issue.latest_event_id
        """

    static func decode(_ row: Row, versions: [String], now: Date, operation: String) throws -> Issue {
        let statusText: String = row["status"]
        guard let status = IssueStatus(rawValue: statusText) else {
            throw StoreError(.corruptData, operation: operation, detail: "unknown issue status in database")
        }
        let env: String = row["env"]
        let language: String = row["language"]
        let firstSeen = StoreTime.date(millis: row["first_seen"])
        let statusChangedAt: Int64? = row["status_changed_at"]
        return Issue(
            id: row["id"],
            fingerprint: row["fingerprint"],
            groupingVersion: row["grouping_version"],
            service: row["service"],
            env: env.isEmpty ? nil : env,
            errorType: row["error_type"],
            message: row["message"],
            language: language.isEmpty ? nil : language,
            status: status,
            isRegression: row["is_regression"],
            regressedInVersion: row["regressed_in_version"],
            resolvedInVersion: row["resolved_in_version"],
            count: row["count"],
            firstSeen: firstSeen,
            lastSeen: StoreTime.date(millis: row["last_seen"]),
            firstVersion: row["first_version"],
            lastVersion: row["last_version"],
            versions: versions,
            culprit: row["culprit"],
            statusChangedAt: statusChangedAt.map(StoreTime.date(millis:)),
            latestMessage: row["latest_message"],
            latestEventID: row["latest_event_id"],
            isNew: now.timeIntervalSince(firstSeen) < Issue.newPeriod
        )
    }

    /// Versions of each issue, by first sighting.
    static func versions(_ db: Database, issueIDs: [Int64]) throws -> [Int64: [String]] {
        guard !issueIDs.isEmpty else { return [:] }
        var result: [Int64: [String]] = [:]
        let placeholders = Array(repeating: "?", count: issueIDs.count).joined(separator: ",")
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT issue_id, value FROM issue_stat WHERE kind = \(StatKind.version.rawValue) AND issue_id IN (\(placeholders)) ORDER BY issue_id, first_seen, value",
            arguments: StatementArguments(issueIDs)
        )
        while let row = try rows.next() {
            result[row["issue_id"], default: []].append(row["value"])
        }
        return result
    }

    /// Decodes issue rows and attaches their versions.
    static func issues(_ db: Database, rows: [Row], now: Date, operation: String) throws -> [Issue] {
        let ids: [Int64] = rows.map { $0["id"] }
        let versions = try versions(db, issueIDs: ids)
        return try rows.map { row in
            let id: Int64 = row["id"]
            return try decode(row, versions: versions[id] ?? [], now: now, operation: operation)
        }
    }

    static func storedEvent(_ row: Row, decoder: JSONDecoder, operation: String) throws -> StoredEvent {
        let event: GroupedEvent
        do {
            event = try StoredEventParts.decode(row, decoder: decoder)
        } catch {
            throw StoreError(.corruptData, operation: operation, detail: "stored event payload is not a valid GroupedEvent")
        }
        return StoredEvent(
            id: row["id"],
            issueID: row["issue_id"],
            receivedAt: StoreTime.date(millis: row["received_at"]),
            occurredAt: StoreTime.date(millis: row["occurred_at"]),
            event: event
        )
    }

    static let eventColumns = "event.id, event.issue_id, event.received_at, event.occurred_at, \(StoredEventParts.columns)"
}
