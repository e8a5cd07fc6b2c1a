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
    /// The same error's fingerprints under the grouping versions before `version` (``Grouper/previousVersions``),
    /// so an issue made by an earlier release keeps its events. Used at ingest only, never stored.
    public var previousValues: [String]

    private enum CodingKeys: String, CodingKey {
        case value, version, parts, overridden
    }

    public init(value: String, version: Int, parts: [String], overridden: Bool = false, previousValues: [String] = []) {
        self.value = value
        self.version = version
        self.parts = parts
        self.overridden = overridden
        self.previousValues = previousValues
    }

    /// Equal when the stored parts are: the previous versions' values follow from the same error.
    public static func == (lhs: Fingerprint, rhs: Fingerprint) -> Bool {
        lhs.value == rhs.value && lhs.version == rhs.version && lhs.parts == rhs.parts && lhs.overridden == rhs.overridden
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
        hasher.combine(version)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            value: try container.decode(String.self, forKey: .value),
            version: try container.decode(Int.self, forKey: .version),
            parts: try container.decode([String].self, forKey: .parts),
            overridden: try container.decode(Bool.self, forKey: .overridden)
        )
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
