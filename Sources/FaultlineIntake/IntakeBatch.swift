import FaultlineCore

/// The error events one payload delivered and what was skipped.
public struct IntakeBatch: Sendable {
    public var events: [ErrorEvent]
    public var stats: IntakeStats

    public init(events: [ErrorEvent] = [], stats: IntakeStats = IntakeStats()) {
        self.events = events
        self.stats = stats
    }
}
