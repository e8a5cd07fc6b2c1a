/// What one payload held: every scanned span lands in exactly one of the other counters.
public struct IntakeStats: Sendable, Codable, Equatable, Hashable {
    /// Every span in the payload.
    public var spansScanned: Int
    /// Spans that became events.
    public var errorEvents: Int
    /// Error spans that are not their service's entry span.
    public var skippedNotEntry: Int
    /// Spans without an error.
    public var skippedNoError: Int
    /// Entry error spans without a stack trace (or with neither type nor message).
    public var skippedNoStack: Int
    /// Spans with missing or wrongly typed fields; the payload's other spans are kept.
    public var skippedMalformed: Int
    /// Error events beyond a payload's limits (``IntakeLimits``): too many, or too many bytes.
    public var skippedOverLimit: Int

    /// Counters, zero unless given.
    public init(
        spansScanned: Int = 0,
        errorEvents: Int = 0,
        skippedNotEntry: Int = 0,
        skippedNoError: Int = 0,
        skippedNoStack: Int = 0,
        skippedMalformed: Int = 0,
        skippedOverLimit: Int = 0
    ) {
        self.spansScanned = spansScanned
        self.errorEvents = errorEvents
        self.skippedNotEntry = skippedNotEntry
        self.skippedNoError = skippedNoError
        self.skippedNoStack = skippedNoStack
        self.skippedMalformed = skippedMalformed
        self.skippedOverLimit = skippedOverLimit
    }

    /// Sums two payloads' counters.
    public static func + (lhs: IntakeStats, rhs: IntakeStats) -> IntakeStats {
        IntakeStats(
            spansScanned: lhs.spansScanned + rhs.spansScanned,
            errorEvents: lhs.errorEvents + rhs.errorEvents,
            skippedNotEntry: lhs.skippedNotEntry + rhs.skippedNotEntry,
            skippedNoError: lhs.skippedNoError + rhs.skippedNoError,
            skippedNoStack: lhs.skippedNoStack + rhs.skippedNoStack,
            skippedMalformed: lhs.skippedMalformed + rhs.skippedMalformed,
            skippedOverLimit: lhs.skippedOverLimit + rhs.skippedOverLimit
        )
    }

    /// Adds another payload's counters.
    public static func += (lhs: inout IntakeStats, rhs: IntakeStats) {
        lhs = lhs + rhs
    }
}
