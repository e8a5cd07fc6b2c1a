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

    public init(issueID: Int64, eventID: Int64, repositoryKey: String?, sources: Data, enrichedAt: Date = Date()) {
        self.issueID = issueID
        self.eventID = eventID
        self.repositoryKey = repositoryKey
        self.sources = sources
        self.enrichedAt = enrichedAt
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
