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
        struct Key: Hashable {
            var service: String
            var env: String?
            var version: String?
            var hour: Int64
        }
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
                let newIssues = try Row.fetchAll(db, sql: "SELECT service, env, first_version, COUNT(*) AS n FROM issue GROUP BY service, env, first_version")
                var issueCounts: [String: Int] = [:]
                for row in newIssues {
                    let key = [row["service"] as String, row["env"] as String, (row["first_version"] as String?) ?? ""].joined(separator: "\u{0}")
                    issueCounts[key] = row["n"]
                }
                let rows = try Row.fetchAll(db, sql: """
                    SELECT service, env, version, hour, entry_spans, error_spans, first_seen, last_seen FROM service_traffic
                    ORDER BY service, env, version, hour
                    """)
                var summaries: [String: ServiceSummary] = [:]
                var versions: [String: ServiceVersionSummary] = [:]
                for row in rows {
                    let service: String = row["service"]
                    let env: String = row["env"]
                    let version: String = row["version"]
                    let serviceKey = service + "\u{0}" + env
                    let versionKey = serviceKey + "\u{0}" + version
                    if summaries[serviceKey] == nil {
                        summaries[serviceKey] = ServiceSummary(service: service, env: env.isEmpty ? nil : env, versions: [])
                    }
                    let entries: Int64 = row["entry_spans"]
                    let errors: Int64 = row["error_spans"]
                    let first = StoreTime.date(millis: row["first_seen"])
                    let last = StoreTime.date(millis: row["last_seen"])
                    var summary = versions[versionKey] ?? ServiceVersionSummary(
                        version: version.isEmpty ? nil : version, firstSeen: first, lastSeen: last, entrySpans: 0, errorSpans: 0,
                        errorRate: 0, newIssues: issueCounts[versionKey] ?? 0, hourly: [])
                    summary.entrySpans += entries
                    summary.errorSpans += errors
                    summary.firstSeen = min(summary.firstSeen, first)
                    summary.lastSeen = max(summary.lastSeen, last)
                    let hour: Int64 = row["hour"]
                    if hour >= firstHour {
                        summary.hourly.append(TrafficHour(hour: StoreTime.date(hour: hour), entrySpans: entries, errorSpans: errors))
                    }
                    versions[versionKey] = summary
                }
                for (key, var version) in versions {
                    version.errorRate = version.entrySpans > 0 ? Double(version.errorSpans) / Double(version.entrySpans) : 0
                    let serviceKey = key.split(separator: "\u{0}", omittingEmptySubsequences: false).prefix(2).joined(separator: "\u{0}")
                    summaries[serviceKey]?.versions.append(version)
                }
                return summaries.values
                    .map { summary in
                        var sorted = summary
                        sorted.versions.sort { $0.firstSeen > $1.firstSeen }
                        return sorted
                    }
                    .sorted { ($0.service, $0.env ?? "") < ($1.service, $1.env ?? "") }
            }
        }
    }
}
