/// A payload intake could not read at all; the server answers it with a 400.
public struct IntakeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line naming what was wrong and where (a byte offset, never payload contents).
    public var reason: String

    /// An error with a one-line reason.
    public init(_ reason: String) {
        self.reason = reason
    }

    /// An error with a one-line reason.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}
