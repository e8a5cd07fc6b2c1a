import FaultlineCore
import Foundation
import GRDB

/// Entry spans and error spans of one (service, env, version) in one hour, as intake aggregated them.
public struct TrafficCount: Sendable, Hashable {
    public var service: String
    public var env: String?
    public var version: String?
    /// Hours since 1970 (UTC).
    public var hour: Int64
    public var entrySpans: Int64
    public var errorSpans: Int64
    /// Milliseconds since 1970 of the first and last span counted.
    public var firstSeen: Int64
    public var lastSeen: Int64

    /// What counts of one row add up under: (service, env, version, hour).
    public struct Key: Hashable, Sendable {
        public var service: String
        public var env: String?
        public var version: String?
        public var hour: Int64
    }

    public var key: Key { Key(service: service, env: env, version: version, hour: hour) }

    public init(service: String, env: String?, version: String?, hour: Int64, entrySpans: Int64, errorSpans: Int64, firstSeen: Int64, lastSeen: Int64) {
        self.service = service
        self.env = env
        self.version = version
        self.hour = hour
        self.entrySpans = entrySpans
        self.errorSpans = errorSpans
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// Aggregates sightings by (service, env, version, hour); a span without a start counts at `receivedAt`.
    public static func aggregate(_ sightings: [EntrySpanSighting], receivedAt: Date = Date()) -> [TrafficCount] {
        let received = StoreTime.millis(receivedAt)
        var counts: [Key: TrafficCount] = [:]
        for sighting in sightings {
            let millis = StoreTime.occurredMillis(sighting.startNanos, receivedMillis: received)
            let key = Key(service: sighting.service, env: sighting.env, version: sighting.version, hour: StoreTime.hour(millis: millis))
            var count = counts[key] ?? TrafficCount(
                service: key.service, env: key.env, version: key.version, hour: key.hour, entrySpans: 0, errorSpans: 0, firstSeen: millis, lastSeen: millis)
            count.entrySpans += 1
            if sighting.isError { count.errorSpans += 1 }
            count.firstSeen = min(count.firstSeen, millis)
            count.lastSeen = max(count.lastSeen, millis)
            counts[key] = count
        }
        return Array(counts.values)
    }

    /// Adds `other`'s counts (same key) to these.
    public mutating func merge(_ other: TrafficCount) {
        entrySpans += other.entrySpans
        errorSpans += other.errorSpans
        firstSeen = min(firstSeen, other.firstSeen)
        lastSeen = max(lastSeen, other.lastSeen)
    }
}

/// One version of a service, for `services list` and `GET /api/v1/services`.
public struct ServiceVersionSummary: Sendable, Hashable, Codable {
    public var version: String?
    public var firstSeen: Date
    public var lastSeen: Date
    public var entrySpans: Int64
    public var errorSpans: Int64
    /// errorSpans ÷ entrySpans (0 when no entry span was counted).
    public var errorRate: Double
    /// Issues first seen in this version.
    public var newIssues: Int
    /// Entry and error spans per hour, oldest first.
    public var hourly: [TrafficHour]
}

extension ServiceVersionSummary {
    /// Adds one hour's row; the hour is listed when it is at or after `since`.
    mutating func add(hour: Int64, entries: Int64, errors: Int64, first: Date, last: Date, since: Int64) {
        entrySpans += entries
        errorSpans += errors
        errorRate = entrySpans > 0 ? Double(errorSpans) / Double(entrySpans) : 0
        firstSeen = min(firstSeen, first)
        lastSeen = max(lastSeen, last)
        if hour >= since {
            hourly.append(TrafficHour(hour: StoreTime.date(hour: hour), entrySpans: entries, errorSpans: errors))
        }
    }
}

/// One hour of a version's traffic.
public struct TrafficHour: Sendable, Hashable, Codable {
    public var hour: Date
    public var entrySpans: Int64
    public var errorSpans: Int64
}

/// A service in one environment with its versions, newest first.
public struct ServiceSummary: Sendable, Hashable, Codable {
    public var service: String
    public var env: String?
    public var versions: [ServiceVersionSummary]
}

extension IssueStore {
    /// Adds aggregated entry-span counts, and records each version as seen (clean traffic included), which
    /// is what auto-resolution compares issues against.
    public func recordTraffic(_ counts: [TrafficCount]) async throws {
        guard !counts.isEmpty else { return }
        try requireWritable("recordTraffic")
        try await perform("recordTraffic") { pool in
            try await pool.write { db in
                let traffic = try db.cachedStatement(sql: """
                    INSERT INTO service_traffic (service, env, version, hour, entry_spans, error_spans, first_seen, last_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (service, env, version, hour) DO UPDATE SET
                        entry_spans = entry_spans + excluded.entry_spans, error_spans = error_spans + excluded.error_spans,
                        first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)
                    """)
                let versions = try db.cachedStatement(sql: """
                    INSERT INTO service_version (service, env, version, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (service, env, version) DO UPDATE SET
                        first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)
                    """)
                for count in counts {
                    try traffic.execute(arguments: [
                        count.service, count.env ?? "", count.version ?? "", count.hour, count.entrySpans, count.errorSpans, count.firstSeen, count.lastSeen,
                    ])
                    if let version = count.version, !version.isEmpty {
                        try versions.execute(arguments: [count.service, count.env ?? "", version, count.firstSeen, count.lastSeen])
                    }
                }
            }
        }
    }

    /// Every service and environment with its versions (newest first): first and last seen, entry and
    /// error spans, error rate, issues first seen in the version, and hourly traffic since `from`.
    public func services(from: Date? = nil) async throws -> [ServiceSummary] {
        let firstHour = from.map { StoreTime.hour(millis: StoreTime.millis($0)) } ?? 0
        return try await perform("services") { pool in
            try await pool.read { db in
                struct VersionKey: Hashable {
                    var service: String
                    var env: String
                    var version: String
                }
                var issueCounts: [VersionKey: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT service, env, first_version, COUNT(*) AS n FROM issue GROUP BY service, env, first_version") {
                    issueCounts[VersionKey(service: row["service"], env: row["env"], version: row["first_version"] ?? "")] = row["n"]
                }
                // Rows come grouped by service, env and version: each group is one version's summary.
                var summaries: [ServiceSummary] = []
                var current: VersionKey?
                for row in try Row.fetchAll(db, sql: """
                    SELECT service, env, version, hour, entry_spans, error_spans, first_seen, last_seen FROM service_traffic
                    ORDER BY service, env, version, hour
                    """) {
                    let key = VersionKey(service: row["service"], env: row["env"], version: row["version"])
                    let entries: Int64 = row["entry_spans"]
                    let errors: Int64 = row["error_spans"]
                    let first = StoreTime.date(millis: row["first_seen"])
                    let last = StoreTime.date(millis: row["last_seen"])
                    if key.service != current?.service || key.env != current?.env {
                        summaries.append(ServiceSummary(service: key.service, env: key.env.isEmpty ? nil : key.env, versions: []))
                    }
                    if key != current {
                        summaries[summaries.count - 1].versions.append(ServiceVersionSummary(
                            version: key.version.isEmpty ? nil : key.version, firstSeen: first, lastSeen: last, entrySpans: 0, errorSpans: 0,
                            errorRate: 0, newIssues: issueCounts[key] ?? 0, hourly: []))
                        current = key
                    }
                    let service = summaries.count - 1
                    let version = summaries[service].versions.count - 1
                    summaries[service].versions[version].add(hour: row["hour"], entries: entries, errors: errors, first: first, last: last, since: firstHour)
                }
                for index in summaries.indices {
                    summaries[index].versions.sort { $0.firstSeen > $1.firstSeen }
                }
                return summaries
            }
        }
    }
}
