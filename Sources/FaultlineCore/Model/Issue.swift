import Foundation

/// A group of error events sharing one fingerprint within a service and env.
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
        culprit: String? = nil
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
    }

    /// True when first seen within two days of `now` (the `new` badge).
    public func isNew(now: Date) -> Bool {
        now.timeIntervalSince(firstSeen) < 2 * 24 * 3600
    }
}
