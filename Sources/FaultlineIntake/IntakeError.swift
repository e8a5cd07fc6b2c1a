/// A payload intake could not read at all. Intake names the kind; the server maps it to a status
/// (400, or 415 for a media type the route does not take) and the CLI to a message.
public struct IntakeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Hashable {
        /// The body is not a payload of the chosen format.
        case malformedPayload
        /// The route does not take the request's media type.
        case unsupportedMediaType
    }

    /// One line naming what was wrong and where (a byte offset, never payload contents).
    public var reason: String
    /// What kind of failure this is.
    public var kind: Kind

    /// An error with a one-line reason.
    public init(_ reason: String, kind: Kind = .malformedPayload) {
        self.reason = reason
        self.kind = kind
    }

    /// An error with a one-line reason.
    public init(reason: String, kind: Kind = .malformedPayload) {
        self.reason = reason
        self.kind = kind
    }

    /// The reason.
    public var description: String { reason }
}
