/// A payload intake could not read at all; the server answers it with a 400.
public struct IntakeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line naming what was wrong and where (a byte offset, never payload contents).
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
