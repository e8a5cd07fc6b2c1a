import FaultlineCore

/// The error events one payload delivered and what was skipped.
public struct IntakeBatch: Sendable {
    /// Events in payload order.
    public var events: [ErrorEvent]
    /// What was scanned and skipped.
    public var stats: IntakeStats
    /// Every service entry span of the payload, error or not (one per trace chunk's local root), for
    /// versions and error rates; never an event by itself.
    public var entrySpans: [EntrySpanSighting] = []

    /// A batch of the given events and counters.
    public init(events: [ErrorEvent] = [], stats: IntakeStats = IntakeStats()) {
        self.events = events
        self.stats = stats
    }
}
