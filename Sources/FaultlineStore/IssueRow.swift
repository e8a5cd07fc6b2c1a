import FaultlineCore
import Foundation
import GRDB

/// Reading issues and their parts out of rows.
enum IssueRow {
    /// Columns of `issue` in the order ``decode(_:versions:now:)`` reads them (prefix `issue.` usable in joins).
    static let columns = """
        issue.id, issue.fingerprint, issue.grouping_version, issue.service, issue.env, issue.error_type, \
        issue.message, issue.latest_message, issue.language, issue.culprit, issue.status, issue.status_changed_at, \
        issue.is_regression, issue.regressed_in_version, issue.resolved_in_version, issue.count, issue.first_seen, \
        issue.last_seen, issue.first_version, issue.last_version, issue.latest_event_id
        """

    static func decode(_ row: Row, versions: [String], now: Date, operation: String) throws -> Issue {
        let statusText: String = row[10]
        guard let status = IssueStatus(rawValue: statusText) else {
            throw StoreError(.corruptData, operation: operation, detail: "unknown issue status in database")
        }
        let env: String = row[4]
        let language: String = row[8]
        let firstSeen = StoreTime.date(millis: row[16])
        let statusChangedAt: Int64? = row[11]
        return Issue(
            id: row[0],
            fingerprint: row[1],
            groupingVersion: row[2],
            service: row[3],
            env: env.isEmpty ? nil : env,
            errorType: row[5],
            message: row[6],
            language: language.isEmpty ? nil : language,
            status: status,
            isRegression: row[12],
            regressedInVersion: row[13],
            resolvedInVersion: row[14],
            count: row[15],
            firstSeen: firstSeen,
            lastSeen: StoreTime.date(millis: row[17]),
            firstVersion: row[18],
            lastVersion: row[19],
            versions: versions,
            culprit: row[9],
            statusChangedAt: statusChangedAt.map(StoreTime.date(millis:)),
            latestMessage: row[7],
            latestEventID: row[20],
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
            result[row[0], default: []].append(row[1])
        }
        return result
    }

    /// Decodes issue rows and attaches their versions.
    static func issues(_ db: Database, rows: [Row], now: Date, operation: String) throws -> [Issue] {
        let ids: [Int64] = rows.map { $0[0] }
        let versions = try versions(db, issueIDs: ids)
        return try rows.map { row in
            let id: Int64 = row[0]
            return try decode(row, versions: versions[id] ?? [], now: now, operation: operation)
        }
    }

    static func storedEvent(_ row: Row, decoder: JSONDecoder, operation: String) throws -> StoredEvent {
        let payload: Data = row[4]
        let event: GroupedEvent
        do {
            event = try StoredEventPayload.decode(payload, using: decoder)
        } catch {
            throw StoreError(.corruptData, operation: operation, detail: "stored event payload is not a valid GroupedEvent")
        }
        return StoredEvent(
            id: row[0],
            issueID: row[1],
            receivedAt: StoreTime.date(millis: row[2]),
            occurredAt: StoreTime.date(millis: row[3]),
            event: event
        )
    }

    static let eventColumns = "id, issue_id, received_at, occurred_at, payload"
}
