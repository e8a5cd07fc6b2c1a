/// A facet an issue query can filter on (`service:checkout`, `@error.type:KeyError`).
public enum IssueQueryKey: String, Sendable, Hashable, Codable, CaseIterable {
    case service
    case env
    /// Matches when any version the issue was seen in matches.
    case version
    case status
    case errorType = "error.type"
    case errorMessage = "error.message"
    /// Matches when any host the issue was seen on matches.
    case host
    /// Matches when any container the issue was seen in matches.
    case container
    case language
    case fingerprint
    /// `is:new` (first seen in the last two days) and `is:regression`.
    case `is`

    /// Resolves a key as a user typed it: a leading `@` is allowed, and a few aliases (`type`, `message`, `environment`).
    public init?(typed: Substring) {
        let name = typed.hasPrefix("@") ? typed.dropFirst() : typed
        switch name.lowercased() {
        case "service": self = .service
        case "env", "environment": self = .env
        case "version": self = .version
        case "status": self = .status
        case "error.type", "type": self = .errorType
        case "error.message", "error.msg", "message": self = .errorMessage
        case "host", "hostname": self = .host
        case "container", "container_id", "container.id": self = .container
        case "language": self = .language
        case "fingerprint": self = .fingerprint
        case "is": self = .is
        default: return nil
        }
    }
}
