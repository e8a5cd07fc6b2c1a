import FaultlineCore
import Foundation
import GRDB

/// Issues and their events in SQLite (`<dataDirectory>/faultline.sqlite`, WAL): safe to share across tasks,
/// and several processes may open the same directory (one writer at a time, readers never blocked).
///
/// Lifecycle rules, following Datadog's Error Tracking:
/// - An issue is keyed by (fingerprint, service, env).
/// - `excluded` issues count new events (count, last seen, hourly counts, versions) but store none.
/// - A `resolved` issue seen again in a version other than `resolvedInVersion` reopens as a regression
///   (`open`, `isRegression`, `regressedInVersion`); in the same version it stays resolved (old instances
///   still draining). Resolved without a known version, any new event reopens it.
/// - ``autoResolve(now:)`` resolves open and acknowledged issues not seen for `autoResolveAfter` when their
///   service (same env) has since run a newer version the issue never appeared in. Service versions come
///   from error events and from `versionsSeen` (intake may report versions of non-error traffic).
/// - Every status change is a row of the status history: creation, user changes, regressions, auto-resolution.
/// - `isNew`: first seen less than two days before the read.
///
/// Times: first/last seen and hourly counts use when an event happened (span start; receive time when the
/// span has none); retention uses when it was received. Samples: the newest `samplesPerIssue` stored events
/// per issue, at most `samplesPerRequest` from one call; the latest event is never deleted by retention.
/// Durability: WAL with synchronous=NORMAL: a committed ingest survives a process crash (kill -9).
public final class IssueStore: Sendable {
    public let configuration: StoreConfiguration
    private let pool: DatabasePool
    private let writer: IngestWriter

    /// Opens (creating unless read-only) the store and brings its schema up to date.
    public init(configuration: StoreConfiguration) throws {
        var configuration = configuration
        configuration.samplesPerIssue = max(1, configuration.samplesPerIssue)
        configuration.samplesPerRequest = max(1, configuration.samplesPerRequest)
        self.configuration = configuration
        let fileManager = FileManager.default
        if configuration.readOnly {
            guard fileManager.fileExists(atPath: configuration.databaseURL.path) else {
                throw StoreError(.open, operation: "open", detail: "no database in the data directory")
            }
        } else {
            do {
                try fileManager.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(.open, operation: "open", detail: "cannot create the data directory")
            }
        }
        var databaseConfiguration = Configuration()
        databaseConfiguration.label = "faultline"
        databaseConfiguration.readonly = configuration.readOnly
        databaseConfiguration.busyMode = .timeout(configuration.busyTimeout)
        databaseConfiguration.maximumReaderCount = 4
        databaseConfiguration.prepareDatabase { db in
            // WAL with synchronous=NORMAL survives a process crash (kill -9) with every commit intact;
            // only a power loss may roll back the last transactions.
            if !db.configuration.readonly {
                // Effective only when the file is created (before WAL is set up): 8 KiB pages hold a
                // 30-frame event in fewer overflow pages (measured ~10-15 % faster ingest than 4 KiB).
                try db.execute(sql: "PRAGMA page_size = 8192")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Events are large (a 30-frame event is ~15 KB of JSON): checkpoint in bigger steps.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
                // The writer touches issue, count and index pages all over the file: keep more of them
                // (16 MiB; no mmap, whose mapped pages would count against the server's RSS budget).
                try db.execute(sql: "PRAGMA cache_size = -16384")
            }
        }
        do {
            pool = try DatabasePool(path: configuration.databaseURL.path, configuration: databaseConfiguration)
            let migrator = StoreSchema.migrator
            if configuration.readOnly {
                try pool.read { db in
                    guard try migrator.hasCompletedMigrations(db) else {
                        throw StoreError(.schema, operation: "open", detail: "database schema is not up to date; open it once read-write")
                    }
                }
            } else {
                try migrator.migrate(pool)
            }
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                throw StoreError(.schema, operation: "open", detail: "database was written by a newer Faultline")
            }
        } catch {
            throw StoreError.wrap(error, operation: "open")
        }
        writer = IngestWriter(pool: pool, samplesPerIssue: configuration.samplesPerIssue)
    }

    /// Closes the database connections; later calls fail. Closing is otherwise automatic when the store is released.
    public func close() throws {
        do {
            try pool.close()
        } catch {
            throw StoreError.wrap(error, operation: "close")
        }
    }

    // MARK: Writing

    /// Stores grouped events into their issues; returns once they are committed. Concurrent calls share transactions.
    /// `versionsSeen` reports service versions seen in non-error traffic (for auto-resolution).
    @discardableResult
    public func ingest(_ events: [GroupedEvent], versionsSeen: [ServiceVersion] = [], receivedAt: Date = Date()) async throws -> IngestSummary {
        try requireWritable("ingest")
        guard !events.isEmpty || !versionsSeen.isEmpty else { return IngestSummary() }
        let batch = PreparedBatch(events: events, receivedAt: receivedAt, versionsSeen: versionsSeen, samplesPerRequest: min(configuration.samplesPerIssue, configuration.samplesPerRequest))
        return try await writer.submit(batch)
    }

    /// Changes an issue's status and records the change; nil when there is no such issue.
    /// Resolving records the issue's last version as `resolvedInVersion` and clears the regression flag.
    @discardableResult
    public func setStatus(issueID: Int64, to status: IssueStatus, at date: Date = Date()) async throws -> Issue? {
        try requireWritable("setStatus")
        let now = Date()
        return try await perform("setStatus") { pool in
            try await pool.write { db -> Issue? in
                guard let row = try Row.fetchOne(db, sql: "SELECT status, last_version FROM issue WHERE id = ?", arguments: [issueID]) else {
                    return nil
                }
                let currentText: String = row[0]
                let lastVersion: String? = row[1]
                let current = IssueStatus(rawValue: currentText)
                if current != status {
                    let at = StoreTime.millis(date)
                    switch status {
                    case .resolved:
                        try db.execute(
                            sql: "UPDATE issue SET status = ?, status_changed_at = ?, resolved_in_version = last_version, is_regression = 0, regressed_in_version = NULL WHERE id = ?",
                            arguments: [status.rawValue, at, issueID])
                    default:
                        try db.execute(
                            sql: "UPDATE issue SET status = ?, status_changed_at = ?, resolved_in_version = NULL WHERE id = ?",
                            arguments: [status.rawValue, at, issueID])
                    }
                    try db.execute(
                        sql: "INSERT INTO status_change (issue_id, from_status, to_status, at, cause, version) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [issueID, current?.rawValue, status.rawValue, at, StatusChange.Cause.user.rawValue, status == .resolved ? lastVersion : nil])
                }
                return try Self.fetchIssue(db, id: issueID, now: now, operation: "setStatus")
            }
        }
    }

    /// Deletes events received before `now - eventRetention` (never an issue's latest) and old hourly counts.
    @discardableResult
    public func applyRetention(now: Date = Date()) async throws -> MaintenanceSummary {
        try requireWritable("applyRetention")
        let eventCutoff = StoreTime.millis(now.addingTimeInterval(-configuration.eventRetention))
        let hourCutoff = StoreTime.hour(millis: StoreTime.millis(now.addingTimeInterval(-configuration.hourlyCountRetention)))
        return try await perform("applyRetention") { pool in
            // In chunks, each its own transaction, so that ingest commits interleave with a large clean-up.
            var summary = MaintenanceSummary()
            while true {
                let deleted = try await pool.write { db in
                    try db.execute(
                        sql: """
                            DELETE FROM event WHERE id IN (
                                SELECT id FROM event WHERE received_at < ?
                                AND id NOT IN (SELECT latest_event_id FROM issue WHERE latest_event_id IS NOT NULL)
                                LIMIT ?)
                            """,
                        arguments: [eventCutoff, Self.retentionChunk])
                    return db.changesCount
                }
                summary.eventsDeleted += deleted
                if deleted < Self.retentionChunk { break }
            }
            summary.hourlyCountsDeleted = try await pool.write { db in
                try db.execute(sql: "DELETE FROM issue_stat WHERE kind = \(StatKind.hour.rawValue) AND value < ?", arguments: [hourCutoff])
                return db.changesCount
            }
            return summary
        }
    }

    /// Events deleted per retention transaction.
    static let retentionChunk = 2000

    /// Resolves open and acknowledged issues not seen for `autoResolveAfter` whose service has since run a newer
    /// version they never appeared in; returns how many it resolved.
    @discardableResult
    public func autoResolve(now: Date = Date()) async throws -> Int {
        try requireWritable("autoResolve")
        let cutoff = StoreTime.millis(now.addingTimeInterval(-configuration.autoResolveAfter))
        let at = StoreTime.millis(now)
        return try await perform("autoResolve") { pool in
            try await pool.write { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT issue.id, issue.status, issue.last_version FROM issue
                    WHERE issue.status IN ('open', 'acknowledged') AND issue.last_seen < ? AND issue.last_version IS NOT NULL
                    AND EXISTS (
                        SELECT 1 FROM service_version sv
                        WHERE sv.service = issue.service AND sv.env = issue.env
                        AND sv.last_seen > issue.last_seen
                        AND sv.first_seen > (
                            SELECT lv.first_seen FROM service_version lv
                            WHERE lv.service = issue.service AND lv.env = issue.env AND lv.version = issue.last_version)
                        AND NOT EXISTS (SELECT 1 FROM issue_stat iv WHERE iv.issue_id = issue.id AND iv.kind = \(StatKind.version.rawValue) AND iv.value = sv.version))
                    """, arguments: [cutoff])
                for row in rows {
                    let id: Int64 = row[0]
                    let from: String = row[1]
                    let version: String? = row[2]
                    try db.execute(
                        sql: "UPDATE issue SET status = 'resolved', status_changed_at = ?, resolved_in_version = last_version, is_regression = 0, regressed_in_version = NULL WHERE id = ?",
                        arguments: [at, id])
                    try db.execute(
                        sql: "INSERT INTO status_change (issue_id, from_status, to_status, at, cause, version) VALUES (?, ?, 'resolved', ?, ?, ?)",
                        arguments: [id, from, at, StatusChange.Cause.autoResolve.rawValue, version])
                }
                return rows.count
            }
        }
    }

    // MARK: Reading

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
                    sql: "SELECT \(IssueRow.columns), \(column) FROM issue \(filter.whereSQL) ORDER BY \(column) \(direction), issue.id \(direction) LIMIT ?",
                    arguments: filter.arguments + [limit + 1])
                let page = Array(rows.prefix(limit))
                let issues = try IssueRow.issues(db, rows: page, now: now, operation: "issues")
                var next: String?
                if rows.count > limit, let last = page.last {
                    next = IssueCursor(sort: request.sort, value: last[21], id: last[0]).text
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
                        SELECT \(column), COUNT(*) FROM issue \(filter.whereSQL)
                        GROUP BY 1 HAVING \(column) <> '' ORDER BY 2 DESC, 1 LIMIT ?
                        """, arguments: filter.arguments + [limit])
                }
                result[IssueQueryKey.version.rawValue] = try Self.facet(db, sql: """
                    SELECT facet.value, COUNT(*) FROM issue_stat facet JOIN issue ON issue.id = facet.issue_id AND facet.kind = \(StatKind.version.rawValue) \(filter.whereSQL)
                    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?
                    """, arguments: filter.arguments + [limit])
                result[IssueQueryKey.host.rawValue] = try Self.facet(db, sql: """
                    SELECT facet.value, COUNT(*) FROM issue_stat facet JOIN issue ON issue.id = facet.issue_id AND facet.kind = \(StatKind.host.rawValue) \(filter.whereSQL)
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

    // MARK: Helpers

    private func requireWritable(_ operation: String) throws {
        if configuration.readOnly {
            throw StoreError(.readOnly, operation: operation, detail: "the store was opened read-only")
        }
    }

    private func perform<T>(_ operation: String, _ body: (DatabasePool) async throws -> T) async throws -> T {
        do {
            return try await body(pool)
        } catch {
            throw StoreError.wrap(error, operation: operation)
        }
    }

    private static func facet(_ db: Database, sql: String, arguments: StatementArguments) throws -> [FacetCount] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { FacetCount(value: $0[0], count: $0[1]) }
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
            .map { HourlyCount(hour: StoreTime.date(hour: $0[0]), count: $0[1]) }
        let history = try Row.fetchAll(
            db, sql: "SELECT from_status, to_status, at, cause, version FROM status_change WHERE issue_id = ? ORDER BY id", arguments: [id]
        ).map { row in
            let from: String? = row[0]
            let to: String = row[1]
            let cause: String = row[3]
            guard let toStatus = IssueStatus(rawValue: to), let cause = StatusChange.Cause(rawValue: cause) else {
                throw StoreError(.corruptData, operation: operation, detail: "unknown status or cause in status history")
            }
            return StatusChange(from: from.flatMap(IssueStatus.init(rawValue:)), to: toStatus, at: StoreTime.date(millis: row[2]), cause: cause, version: row[4])
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
        SeenValue(value: row[0], count: row[1], firstSeen: StoreTime.date(millis: row[2]), lastSeen: StoreTime.date(millis: row[3]))
    }
}
