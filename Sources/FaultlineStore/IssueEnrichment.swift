import Foundation

/// The stored source of an issue's latest event: per-frame JSON written by the enrichment worker.
///
/// The store keeps `sources` as opaque JSON (the enrichment layer owns its shape), so the store
/// depends on nothing but Core.
public struct IssueEnrichment: Sendable, Hashable {
    public var issueID: Int64
    /// The event that was enriched; stale once the issue's latest event is another.
    public var eventID: Int64
    /// Canonical key of the repository used, when one was.
    public var repositoryKey: String?
    /// JSON written by the enrichment layer.
    public var sources: Data
    public var enrichedAt: Date
    /// Failed tries in a row for this event (0 once it succeeded, or when it failed for good).
    public var attempts: Int
    /// When the tries in a row began failing; nil when the last one did not fail for a passing reason.
    public var failingSince: Date?
    /// When the worker tries again; nil when it will not (done, or given up).
    public var retryAt: Date?
    /// The issue's culprit as the repository names it (`shop/checkout.py in parse_quantity`), when the top
    /// in-app frame resolved; it replaces the runtime's absolute path while `eventID` is the latest event.
    public var culprit: String?

    public init(
        issueID: Int64, eventID: Int64, repositoryKey: String?, sources: Data, enrichedAt: Date = Date(),
        attempts: Int = 0, failingSince: Date? = nil, retryAt: Date? = nil, culprit: String? = nil
    ) {
        self.culprit = culprit
        self.issueID = issueID
        self.eventID = eventID
        self.repositoryKey = repositoryKey
        self.sources = sources
        self.enrichedAt = enrichedAt
        self.attempts = attempts
        self.failingSince = failingSince
        self.retryAt = retryAt
    }
}

/// An issue whose latest event has no enrichment yet.
public struct PendingEnrichment: Sendable, Hashable {
    public var issueID: Int64
    public var service: String
    public var firstSeen: Date
    public var event: StoredEvent

    public init(issueID: Int64, service: String, firstSeen: Date, event: StoredEvent) {
        self.issueID = issueID
        self.service = service
        self.firstSeen = firstSeen
        self.event = event
    }
}
