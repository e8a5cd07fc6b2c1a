import FaultlineCore
import Foundation
import GRDB

/// Applies one prepared batch inside the writer's open transaction: issues, lifecycle, counts, samples.
struct IngestTransaction {
    let db: Database
    let samplesPerIssue: Int
    let parts: EventPartCache

    /// The mutable part of an issue row, held in memory while a batch updates it.
    private struct IssueState {
        var id: Int64
        var status: IssueStatus
        var statusChangedAt: Int64?
        var isRegression: Bool
        var regressedInVersion: String?
        var resolvedInVersion: String?
        var count: Int64
        var firstSeen: Int64
        var lastSeen: Int64
        var firstVersion: String?
        var lastVersion: String?
        var latestMessage: String?
        var culprit: String?
        var latestEventID: Int64?
    }

    private struct StatusRecord {
        var issueID: Int64
        var from: IssueStatus?
        var to: IssueStatus
        var at: Int64
        var cause: StatusChange.Cause
        var version: String?
    }

    private struct SeenKey: Hashable {
        var issueID: Int64
        var kind: StatKind
        var value: String
    }

    private struct Seen {
        var count: Int64
        var first: Int64
        var last: Int64

        mutating func add(_ millis: Int64) {
            count += 1
            first = min(first, millis)
            last = max(last, millis)
        }
    }

    private struct HourKey: Hashable {
        var issueID: Int64
        var hour: Int64
    }

    private struct ServiceVersionKey: Hashable {
        var service: String
        var env: String
        var version: String
    }

    /// Whether a new event reopens a resolved issue: always when it was resolved without a known version
    /// (nothing tells a fix apart), otherwise only in a version other than the one it was resolved in.
    static func reopens(resolvedInVersion: String?, eventVersion: String?) -> Bool {
        guard let resolvedInVersion else { return true }
        return eventVersion != resolvedInVersion
    }

    /// Whether the event names its span: events from files or hand-built ones may carry no ids.
    static func hasSpanIdentity(_ event: ErrorEvent) -> Bool {
        event.spanID.utf8.contains { $0 != UInt8(ascii: "0") } && !event.traceID.isEmpty
    }

    /// The top in-app frame of a trace, as `module in function`.
    static func culprit(_ trace: StackTrace) -> String? {
        guard let frame = trace.frames.first(where: \.inApp) ?? trace.frames.first else { return nil }
        switch (frame.module, frame.function) {
        case let (module?, function?): return "\(module) in \(function)"
        case let (nil, function?): return frame.file.map { "\($0) in \(function)" } ?? function
        case let (module?, nil): return module
        case (nil, nil): return frame.file
        }
    }

    /// Applies several callers' batches as one: each issue is loaded, updated and counted once for all of them,
    /// exactly as if the batches were applied one after the other. Returns one summary per batch, in order.
    func apply(_ batches: [PreparedBatch]) throws -> [IngestSummary] {
        var summaries: [IngestSummary] = []
        summaries.reserveCapacity(batches.count)
        var states: [IssueKey: IssueState] = [:]
        var statusRecords: [StatusRecord] = []
        var hours: [HourKey: Seen] = [:]
        var seen: [SeenKey: Seen] = [:]
        var serviceVersions: [ServiceVersionKey: Seen] = [:]
        var sampled: Set<Int64> = []

        let insertEvent = try db.cachedStatement(sql: """
            INSERT INTO event (issue_id, received_at, occurred_at, trace_id, span_id, stack_part, shared_part,
                               span_tags_part, host_tags_part, container_tags_part, metrics_part, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)

        let claimKey = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO event_key (trace_id, span_id, received_at) VALUES (?, ?, ?)
            """)

        // Where each batch's status records start: monitors are told per batch, at its own receive time.
        var firstStatusRecord: [Int] = []
        for batch in batches {
            firstStatusRecord.append(statusRecords.count)
            var summary = IngestSummary(received: batch.items.count)
            summary.issueIDs.reserveCapacity(batch.items.count)
            for item in batch.items {
                let event = item.event.event
                // An error span is counted once, whatever a tracer resends: the first claim of its ids wins.
                if Self.hasSpanIdentity(event) {
                    try claimKey.executeRaw(db) { bind in
                        bind.bind(1, event.traceID)
                        bind.bind(2, event.spanID)
                        bind.bind(3, batch.receivedMillis)
                    }
                    if db.changesCount == 0 {
                        summary.duplicates += 1
                        continue
                    }
                }
                var state: IssueState
                if let known = states[item.key] {
                    state = known
                } else if let loaded = try load(item.key) ?? loadByPreviousFingerprint(item) {
                    state = loaded
                } else {
                    state = try create(item, receivedMillis: batch.receivedMillis)
                    statusRecords.append(StatusRecord(issueID: state.id, from: nil, to: .open, at: batch.receivedMillis, cause: .created, version: event.version))
                    summary.newIssues += 1
                }

                state.count += 1
                if item.occurredMillis < state.firstSeen {
                    state.firstSeen = item.occurredMillis
                    if let version = event.version { state.firstVersion = version }
                }
                if state.firstVersion == nil { state.firstVersion = event.version }
                if item.occurredMillis >= state.lastSeen {
                    state.lastSeen = item.occurredMillis
                    if let version = event.version { state.lastVersion = version }
                }
                if state.status == .resolved, Self.reopens(resolvedInVersion: state.resolvedInVersion, eventVersion: event.version) {
                    statusRecords.append(StatusRecord(issueID: state.id, from: .resolved, to: .open, at: batch.receivedMillis, cause: .regression, version: event.version))
                    state.status = .open
                    state.statusChangedAt = batch.receivedMillis
                    state.isRegression = true
                    state.regressedInVersion = event.version
                    state.resolvedInVersion = nil
                    summary.regressions += 1
                }
                if state.status == .excluded {
                    summary.excluded += 1
                } else if let payload = item.payload {
                    let ids = try parts.ids(for: item, in: db)
                    try insertEvent.executeRaw(db) { bind in
                        bind.bind(1, state.id)
                        bind.bind(2, batch.receivedMillis)
                        bind.bind(3, item.occurredMillis)
                        bind.bind(4, event.traceID)
                        bind.bind(5, event.spanID)
                        bind.bind(6, ids.stack)
                        bind.bind(7, ids.shared)
                        bind.bind(8, ids.spanTags)
                        bind.bind(9, ids.hostTags)
                        bind.bind(10, ids.containerTags)
                        bind.bind(11, ids.metrics)
                        bind.bind(12, payload)
                    }
                    state.latestEventID = db.lastInsertedRowID
                    state.latestMessage = event.errorMessage
                    state.culprit = Self.culprit(item.event.stackTrace)
                    // Only an issue with more events than the sample size can hold too many samples.
                    if state.count > Int64(samplesPerIssue) { sampled.insert(state.id) }
                    summary.stored += 1
                }
                states[item.key] = state
                summary.issueIDs.append(state.id)

                hours[HourKey(issueID: state.id, hour: StoreTime.hour(millis: item.occurredMillis)), default: Seen(count: 0, first: .max, last: .min)].add(item.occurredMillis)
                if let version = event.version {
                    seen[SeenKey(issueID: state.id, kind: .version, value: version), default: Seen(count: 0, first: .max, last: .min)].add(item.occurredMillis)
                    serviceVersions[ServiceVersionKey(service: event.service, env: item.key.env, version: version), default: Seen(count: 0, first: .max, last: .min)].add(item.occurredMillis)
                }
                if let host = item.host {
                    seen[SeenKey(issueID: state.id, kind: .host, value: host), default: Seen(count: 0, first: .max, last: .min)].add(item.occurredMillis)
                }
                if let container = item.container {
                    seen[SeenKey(issueID: state.id, kind: .container, value: container), default: Seen(count: 0, first: .max, last: .min)].add(item.occurredMillis)
                }
            }
            for sighting in batch.versionsSeen {
                serviceVersions[ServiceVersionKey(service: sighting.service, env: sighting.env ?? "", version: sighting.version), default: Seen(count: 0, first: .max, last: .min)].add(batch.receivedMillis)
            }
            summaries.append(summary)
        }

        try save(states.values)
        try saveStatusRecords(statusRecords)
        try saveStats(hours: hours, seen: seen)
        try saveServiceVersions(serviceVersions)
        try trimSamples(sampled)
        // After the issues are saved: monitors match their queries against the updated rows.
        for (index, batch) in batches.enumerated() {
            let records = statusRecords[firstStatusRecord[index]..<(index + 1 < batches.count ? firstStatusRecord[index + 1] : statusRecords.count)]
            try OutboxRecorder.record(
                db, newIssueIDs: records.filter { $0.cause == .created }.map(\.issueID),
                regressedIssueIDs: records.filter { $0.cause == .regression }.map(\.issueID),
                eventIssueIDs: summaries[index].issueIDs, receivedMillis: batch.receivedMillis)
        }
        return summaries
    }

    private func load(_ key: IssueKey) throws -> IssueState? {
        let statement = try db.cachedStatement(sql: """
            SELECT id, status, status_changed_at, is_regression, regressed_in_version, resolved_in_version, count,
                   first_seen, last_seen, first_version, last_version, latest_message, culprit, latest_event_id
            FROM issue WHERE fingerprint = ? AND service = ? AND env = ?
            """)
        return try statement.fetchFirstRaw(db, { bind in
            bind.bind(1, key.fingerprint)
            bind.bind(2, key.service)
            bind.bind(3, key.env)
        }) { row in
            guard let statusText = row.string(1), let status = IssueStatus(rawValue: statusText) else {
                throw StoreError(.corruptData, operation: "ingest", detail: "unknown issue status in database")
            }
            return IssueState(
                id: row.int(0), status: status, statusChangedAt: row.optionalInt(2), isRegression: row.int(3) != 0,
                regressedInVersion: row.string(4), resolvedInVersion: row.string(5), count: row.int(6),
                firstSeen: row.int(7), lastSeen: row.int(8), firstVersion: row.string(9),
                lastVersion: row.string(10), latestMessage: row.string(11), culprit: row.string(12),
                latestEventID: row.optionalInt(13)
            )
        }
    }

    /// The issue an earlier grouping version made for this error, which keeps its fingerprint and its events.
    private func loadByPreviousFingerprint(_ item: PreparedBatch.Item) throws -> IssueState? {
        for previous in item.event.fingerprint.previousValues {
            if let state = try load(IssueKey(fingerprint: previous, service: item.key.service, env: item.key.env)) {
                return state
            }
        }
        return nil
    }

    private func create(_ item: PreparedBatch.Item, receivedMillis: Int64) throws -> IssueState {
        let event = item.event.event
        let statement = try db.cachedStatement(sql: """
            INSERT INTO issue (fingerprint, grouping_version, service, env, error_type, message, latest_message, language,
                               culprit, status, status_changed_at, count, first_seen, last_seen, first_version, last_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, 0, ?, ?, ?, ?)
            """)
        let language = event.language ?? (item.event.stackTrace.language == .unknown ? "" : item.event.stackTrace.language.rawValue)
        let culprit = Self.culprit(item.event.stackTrace)
        try statement.execute(arguments: [
            item.key.fingerprint, item.event.fingerprint.version, item.key.service, item.key.env, event.errorType,
            item.event.normalizedMessage, event.errorMessage, language, culprit, receivedMillis,
            item.occurredMillis, item.occurredMillis, event.version, event.version,
        ])
        return IssueState(
            id: db.lastInsertedRowID, status: .open, statusChangedAt: receivedMillis, isRegression: false,
            regressedInVersion: nil, resolvedInVersion: nil, count: 0, firstSeen: item.occurredMillis,
            lastSeen: item.occurredMillis, firstVersion: event.version, lastVersion: event.version,
            latestMessage: event.errorMessage, culprit: culprit, latestEventID: nil
        )
    }

    private func save(_ states: Dictionary<IssueKey, IssueState>.Values) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE issue SET status = ?, status_changed_at = ?, is_regression = ?, regressed_in_version = ?,
                resolved_in_version = ?, count = ?, first_seen = ?, last_seen = ?, first_version = ?, last_version = ?,
                latest_message = ?, culprit = ?, latest_event_id = ?
            WHERE id = ?
            """)
        for state in states {
            try statement.executeRaw(db) { bind in
                bind.bind(1, state.status.rawValue)
                bind.bind(2, state.statusChangedAt)
                bind.bind(3, state.isRegression)
                bind.bind(4, state.regressedInVersion)
                bind.bind(5, state.resolvedInVersion)
                bind.bind(6, state.count)
                bind.bind(7, state.firstSeen)
                bind.bind(8, state.lastSeen)
                bind.bind(9, state.firstVersion)
                bind.bind(10, state.lastVersion)
                bind.bind(11, state.latestMessage)
                bind.bind(12, state.culprit)
                bind.bind(13, state.latestEventID)
                bind.bind(14, state.id)
            }
        }
    }

    private func saveStatusRecords(_ records: [StatusRecord]) throws {
        guard !records.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO status_change (issue_id, from_status, to_status, at, cause, version) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for record in records {
            try statement.execute(arguments: [record.issueID, record.from?.rawValue, record.to.rawValue, record.at, record.cause.rawValue, record.version])
        }
    }

    private func saveStats(hours: [HourKey: Seen], seen: [SeenKey: Seen]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO issue_stat (issue_id, kind, value, count, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (issue_id, kind, value) DO UPDATE SET count = count + excluded.count,
                first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)
            """)
        for (key, value) in hours {
            try statement.executeRaw(db) { bind in
                bind.bind(1, key.issueID)
                bind.bind(2, Int64(StatKind.hour.rawValue))
                bind.bind(3, key.hour)
                bind.bind(4, value.count)
                bind.bind(5, value.first)
                bind.bind(6, value.last)
            }
        }
        for (key, value) in seen {
            try statement.executeRaw(db) { bind in
                bind.bind(1, key.issueID)
                bind.bind(2, Int64(key.kind.rawValue))
                bind.bind(3, key.value)
                bind.bind(4, value.count)
                bind.bind(5, value.first)
                bind.bind(6, value.last)
            }
        }
    }

    private func saveServiceVersions(_ serviceVersions: [ServiceVersionKey: Seen]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO service_version (service, env, version, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (service, env, version) DO UPDATE SET
                first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)
            """)
        for (key, value) in serviceVersions {
            try statement.execute(arguments: [key.service, key.env, key.version, value.first, value.last])
        }
    }

    /// Keeps the newest `samplesPerIssue` events of each issue that received some.
    private func trimSamples(_ issueIDs: Set<Int64>) throws {
        let statement = try db.cachedStatement(sql: """
            DELETE FROM event WHERE issue_id = ?1 AND id < (
                SELECT id FROM event WHERE issue_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)
            """)
        for issueID in issueIDs {
            try statement.execute(arguments: [issueID, samplesPerIssue - 1])
        }
    }
}
