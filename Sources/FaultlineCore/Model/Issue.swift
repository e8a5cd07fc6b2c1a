import Foundation

/// A group of error events sharing one fingerprint within a service and env.
///
/// The key is (fingerprint, service, env): the same error in `prod` and `staging` is two issues,
/// triaged separately, so resolving the staging one never hides production errors.
public struct Issue: Sendable, Hashable, Codable {
    public var id: Int64
    public var fingerprint: String
    public var groupingVersion: Int
    public var service: String
    public var env: String?
    public var errorType: String
    /// The normalised message the issue was grouped on.
    public var message: String
    public var language: String?
    public var status: IssueStatus
    /// Set when a resolved issue came back in another version.
    public var isRegression: Bool
    public var regressedInVersion: String?
    /// The last version seen when the issue was resolved.
    public var resolvedInVersion: String?
    /// Events seen, stored or not (excluded issues keep counting).
    public var count: Int64
    public var firstSeen: Date
    public var lastSeen: Date
    public var firstVersion: String?
    public var lastVersion: String?
    public var versions: [String]
    /// Top in-app frame of the latest event, e.g. `app.views in checkout`.
    public var culprit: String?
    /// When the status last changed (nil while it never did).
    public var statusChangedAt: Date?
    /// The raw (not normalised) message of the latest event.
    public var latestMessage: String?
    /// Id of the latest stored event, nil while none is stored (an issue excluded from its first event).
    public var latestEventID: Int64?
    /// First seen within two days of when the issue was read (the `new` badge).
    public var isNew: Bool

    public init(
        id: Int64,
        fingerprint: String,
        groupingVersion: Int,
        service: String,
        env: String?,
        errorType: String,
        message: String,
        language: String?,
        status: IssueStatus,
        isRegression: Bool = false,
        regressedInVersion: String? = nil,
        resolvedInVersion: String? = nil,
        count: Int64,
        firstSeen: Date,
        lastSeen: Date,
        firstVersion: String?,
        lastVersion: String?,
        versions: [String],
        culprit: String? = nil,
        statusChangedAt: Date? = nil,
        latestMessage: String? = nil,
        latestEventID: Int64? = nil,
        isNew: Bool = false
    ) {
        self.id = id
        self.fingerprint = fingerprint
        self.groupingVersion = groupingVersion
        self.service = service
        self.env = env
        self.errorType = errorType
        self.message = message
        self.language = language
        self.status = status
        self.isRegression = isRegression
        self.regressedInVersion = regressedInVersion
        self.resolvedInVersion = resolvedInVersion
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.firstVersion = firstVersion
        self.lastVersion = lastVersion
        self.versions = versions
        self.culprit = culprit
        self.statusChangedAt = statusChangedAt
        self.latestMessage = latestMessage
        self.latestEventID = latestEventID
        self.isNew = isNew
    }

    /// How long after its first sighting an issue counts as new.
    public static let newPeriod: TimeInterval = 2 * 24 * 3600

    /// True when first seen within two days of `now` (the `new` badge).
    public func isNew(now: Date) -> Bool {
        now.timeIntervalSince(firstSeen) < Self.newPeriod
    }
}
