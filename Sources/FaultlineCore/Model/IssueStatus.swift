/// Lifecycle of an issue, named as Datadog's Error Tracking API names it.
public enum IssueStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// New or reopened, waiting for review ("for review").
    case open
    /// Reviewed, someone is on it.
    case acknowledged
    case resolved
    /// Kept and counted, hidden from default views.
    case ignored
    /// New events are counted but not stored.
    case excluded
}
