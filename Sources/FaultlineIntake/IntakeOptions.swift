/// How intake decides which error spans become events.
public struct IntakeOptions: Sendable, Hashable {
    /// Keep only errors of service entry spans, as Datadog's Error Tracking does. When false, every
    /// error span with a stack becomes an event.
    public var entrySpansOnly: Bool = true

    /// Options; the defaults follow Datadog.
    public init(entrySpansOnly: Bool = true) {
        self.entrySpansOnly = entrySpansOnly
    }
}
