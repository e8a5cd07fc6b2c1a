/// A monitor or delivery problem, naming what was wrong; never carries secrets or payloads.
public struct MonitorsError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// A field of a monitor definition is missing or not valid; `field` names it.
        case invalidField
        /// The destination is not allowed (`--allow-notify`, non-public address).
        case destinationRefused
        /// The destination's host does not resolve.
        case destinationUnreachable
    }

    public var kind: Kind
    public var reason: String
    /// The request field at fault (`threshold.window`, `channel.url`), for `invalidField`.
    public var field: String?

    public init(_ kind: Kind, _ reason: String, field: String? = nil) {
        self.kind = kind
        self.reason = reason
        self.field = field
    }

    static func invalid(_ field: String, _ reason: String) -> MonitorsError {
        MonitorsError(.invalidField, "\(field): \(reason)", field: field)
    }

    public var description: String { reason }
}
