import Foundation

/// One recorded state change: who, when, what (`PATCH /api/v1/issues/3`, `tokens revoke 2`), and the HTTP status answered.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var id: Int64
    public var at: Date
    public var actor: AuditActor
    public var action: String
    /// The HTTP status of an API change; nil for CLI changes.
    public var status: Int?

    public init(id: Int64, at: Date, actor: AuditActor, action: String, status: Int?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.status = status
    }
}

/// Audit entries, newest first.
public struct AuditPage: Sendable, Hashable, Codable {
    public var entries: [AuditEntry]
    /// Pass as `before` for older entries; nil when there are none.
    public var nextCursor: Int64?

    public init(entries: [AuditEntry], nextCursor: Int64?) {
        self.entries = entries
        self.nextCursor = nextCursor
    }
}
