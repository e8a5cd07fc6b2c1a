/// The grouping key of an error and what went into it, so a user can see why two errors did or did not group.
public struct Fingerprint: Sendable, Hashable, Codable {
    /// Lowercase hex SHA-256 of the ordered parts (or the override, verbatim).
    public var value: String
    /// The grouping algorithm version that produced it; issues record it.
    public var version: Int
    /// The normalised parts hashed, in order (`type:…`, `message:…`, `frame:module.function`).
    public var parts: [String]
    /// True when an `error.fingerprint` tag supplied the value.
    public var overridden: Bool

    public init(value: String, version: Int, parts: [String], overridden: Bool = false) {
        self.value = value
        self.version = version
        self.parts = parts
        self.overridden = overridden
    }
}

/// An error event with its parsed stack trace and fingerprint: what the store keeps.
public struct GroupedEvent: Sendable, Hashable, Codable {
    public var event: ErrorEvent
    public var stackTrace: StackTrace
    public var normalizedMessage: String
    public var fingerprint: Fingerprint

    public init(event: ErrorEvent, stackTrace: StackTrace, normalizedMessage: String, fingerprint: Fingerprint) {
        self.event = event
        self.stackTrace = stackTrace
        self.normalizedMessage = normalizedMessage
        self.fingerprint = fingerprint
    }
}
