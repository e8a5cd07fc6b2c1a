/// Turns an error event into a parsed stack trace and a fingerprint.
public struct Grouper: Sendable {
    /// Bumped whenever the fingerprint algorithm changes; issues record the version that made them.
    public static let version = 1

    public var inAppRules: InAppRules

    public init(inAppRules: InAppRules = .default) {
        self.inAppRules = inAppRules
    }

    /// Parses the event's stack and computes its fingerprint.
    public func group(_ event: ErrorEvent) -> GroupedEvent {
        let trace = StackTraceParser.parse(event.errorStack, language: event.language.flatMap(Language.init(tag:)), inApp: inAppRules)
        // Placeholder until the normaliser and fingerprinter land.
        let parts = ["type:\(event.errorType)", "message:\(event.errorMessage)"]
        return GroupedEvent(
            event: event,
            stackTrace: trace,
            normalizedMessage: event.errorMessage,
            fingerprint: Fingerprint(value: parts.joined(separator: "\n"), version: Self.version, parts: parts)
        )
    }
}
