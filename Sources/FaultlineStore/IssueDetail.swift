import FaultlineCore
import Foundation

/// An issue with what its detail view shows: latest event, distribution, history, where it was seen.
public struct IssueDetail: Sendable, Hashable, Codable {
    public var issue: Issue
    public var latestEvent: StoredEvent?
    /// Events per hour, oldest first (hours without events are absent).
    public var hourlyCounts: [HourlyCount]
    /// Every status change, oldest first.
    public var statusHistory: [StatusChange]
    /// Versions the issue was seen in, oldest first sighting first.
    public var versions: [SeenValue]
    /// Hosts the issue was seen on, most events first.
    public var hosts: [SeenValue]
    /// Containers the issue was seen in, most events first.
    public var containers: [SeenValue]

    public init(issue: Issue, latestEvent: StoredEvent?, hourlyCounts: [HourlyCount], statusHistory: [StatusChange], versions: [SeenValue], hosts: [SeenValue], containers: [SeenValue]) {
        self.issue = issue
        self.latestEvent = latestEvent
        self.hourlyCounts = hourlyCounts
        self.statusHistory = statusHistory
        self.versions = versions
        self.hosts = hosts
        self.containers = containers
    }
}

/// One stored sample event of an issue.
public struct StoredEvent: Sendable, Hashable, Codable {
    public var id: Int64
    public var issueID: Int64
    /// When Faultline committed it.
    public var receivedAt: Date
    /// When it happened: the span's start, or the receive time when the span had none.
    public var occurredAt: Date
    public var event: GroupedEvent

    public init(id: Int64, issueID: Int64, receivedAt: Date, occurredAt: Date, event: GroupedEvent) {
        self.id = id
        self.issueID = issueID
        self.receivedAt = receivedAt
        self.occurredAt = occurredAt
        self.event = event
    }
}

/// Events of an issue in one hour.
public struct HourlyCount: Sendable, Hashable, Codable {
    /// Start of the hour (UTC).
    public var hour: Date
    public var count: Int64

    public init(hour: Date, count: Int64) {
        self.hour = hour
        self.count = count
    }
}

/// One recorded status change.
public struct StatusChange: Sendable, Hashable, Codable {
    /// Who or what changed it.
    public enum Cause: String, Sendable, Hashable, Codable {
        /// The issue was created (from nil to open).
        case created
        /// A user (CLI, API, explorer).
        case user
        /// A resolved issue came back in another version.
        case regression
        /// Auto-resolution: no sighting for the configured period and a newer clean version.
        case autoResolve
    }

    public var from: IssueStatus?
    public var to: IssueStatus
    public var at: Date
    public var cause: Cause
    /// The version involved: the version a regression came back in, or the last version at resolution.
    public var version: String?
    /// Who made a `user` change (a token, the api-token, the CLI); nil for changes the server made and for
    /// changes recorded before actors were.
    public var actor: AuditActor?

    public init(from: IssueStatus?, to: IssueStatus, at: Date, cause: Cause, version: String? = nil, actor: AuditActor? = nil) {
        self.from = from
        self.to = to
        self.at = at
        self.cause = cause
        self.version = version
        self.actor = actor
    }
}

/// A value an issue was seen with (a version, host or container) and how often.
public struct SeenValue: Sendable, Hashable, Codable {
    public var value: String
    public var count: Int64
    public var firstSeen: Date
    public var lastSeen: Date

    public init(value: String, count: Int64, firstSeen: Date, lastSeen: Date) {
        self.value = value
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// A page of sample events, newest first.
public struct EventPage: Sendable, Hashable, Codable {
    public var events: [StoredEvent]
    /// Pass as `before` to get older events; nil when there are none.
    public var nextCursor: Int64?

    public init(events: [StoredEvent], nextCursor: Int64?) {
        self.events = events
        self.nextCursor = nextCursor
    }
}

/// How many matching issues have one value of a facet.
public struct FacetCount: Sendable, Hashable, Codable {
    public var value: String
    public var count: Int64

    public init(value: String, count: Int64) {
        self.value = value
        self.count = count
    }
}

/// What ``IssueStore/export(_:)`` streams: filter and order of the exported issues.
public struct ExportRequest: Sendable, Hashable, Codable {
    public var query: IssueQuery
    public var from: Date?
    public var to: Date?

    public init(query: IssueQuery = .all, from: Date? = nil, to: Date? = nil) {
        self.query = query
        self.from = from
        self.to = to
    }
}

/// Retention and auto-resolution work done by one maintenance run.
public struct MaintenanceSummary: Sendable, Hashable, Codable {
    public var eventsDeleted: Int
    public var hourlyCountsDeleted: Int
    public var issuesAutoResolved: Int

    public init(eventsDeleted: Int = 0, hourlyCountsDeleted: Int = 0, issuesAutoResolved: Int = 0) {
        self.eventsDeleted = eventsDeleted
        self.hourlyCountsDeleted = hourlyCountsDeleted
        self.issuesAutoResolved = issuesAutoResolved
    }
}
