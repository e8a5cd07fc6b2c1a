import Foundation

/// Where the store keeps its data and how long it keeps what.
public struct StoreConfiguration: Sendable, Hashable {
    /// Directory holding `faultline.sqlite` (created when missing, unless read-only).
    public var dataDirectory: URL
    /// Recent events kept per issue; older ones are deleted as new ones arrive (at least 1: the latest).
    public var samplesPerIssue: Int
    /// Most events one ``IssueStore/ingest(_:versionsSeen:receivedAt:)`` call stores per issue (its newest; at least 1).
    /// A flood of one error in one payload then does not replace the whole sample with near-copies from one
    /// host and second, and the store writes far less (a 30-frame event is ~12 KB). Every event is still counted.
    public var samplesPerRequest: Int
    /// Events received longer ago than this are deleted by ``IssueStore/applyRetention(now:)`` (the latest event of an issue never is).
    public var eventRetention: TimeInterval
    /// Hourly counts older than this are deleted by ``IssueStore/applyRetention(now:)``.
    public var hourlyCountRetention: TimeInterval
    /// An open issue whose last sighting is older than this, with a newer clean version of its service seen, auto-resolves.
    public var autoResolveAfter: TimeInterval
    /// How long a connection waits for another process's write lock before failing.
    public var busyTimeout: TimeInterval
    /// Opens the database for reading only (no migrations, no directory creation): for commands run beside a server.
    public var readOnly: Bool

    /// The database file inside the data directory.
    public var databaseURL: URL { dataDirectory.appendingPathComponent("faultline.sqlite") }

    public init(
        dataDirectory: URL,
        samplesPerIssue: Int = 100,
        samplesPerRequest: Int = 5,
        eventRetention: TimeInterval = 30 * 24 * 3600,
        hourlyCountRetention: TimeInterval = 90 * 24 * 3600,
        autoResolveAfter: TimeInterval = 14 * 24 * 3600,
        busyTimeout: TimeInterval = 10,
        readOnly: Bool = false
    ) {
        self.dataDirectory = dataDirectory
        self.samplesPerIssue = samplesPerIssue
        self.samplesPerRequest = samplesPerRequest
        self.eventRetention = eventRetention
        self.hourlyCountRetention = hourlyCountRetention
        self.autoResolveAfter = autoResolveAfter
        self.busyTimeout = busyTimeout
        self.readOnly = readOnly
    }
}
