/// What one ``IssueStore/ingest(_:receivedAt:)`` call committed.
public struct IngestSummary: Sendable, Hashable, Codable {
    /// Events handed in.
    public var received: Int
    /// Events stored as samples.
    public var stored: Int
    /// Events only counted because their issue is excluded.
    public var excluded: Int
    /// Issues created by this call.
    public var newIssues: Int
    /// Resolved issues this call reopened as regressions.
    public var regressions: Int
    /// The issue of each event counted, in the order the events were given (duplicates left out).
    public var issueIDs: [Int64]
    /// Events whose (trace id, span id) was already counted, by an earlier payload or earlier in this one.
    public var duplicates: Int = 0

    public init(received: Int = 0, stored: Int = 0, excluded: Int = 0, newIssues: Int = 0, regressions: Int = 0, issueIDs: [Int64] = []) {
        self.received = received
        self.stored = stored
        self.excluded = excluded
        self.newIssues = newIssues
        self.regressions = regressions
        self.issueIDs = issueIDs
    }
}
