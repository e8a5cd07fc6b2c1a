/// Turns an error event into a parsed stack trace and a fingerprint.
public struct Grouper: Sendable {
    /// Bumped whenever the fingerprint algorithm changes; issues record the version that made them.
    /// - 1: the first release.
    /// - 2: the reported type without a built-in prefix (`builtins.ValueError` = `ValueError`), causes by
    ///   class name without module path.
    public static let version = 2
    /// Earlier versions whose fingerprints are still looked up, newest first, so their issues keep growing.
    public static let previousVersions = [1]

    public var inAppRules: InAppRules

    public init(inAppRules: InAppRules = .default) {
        self.inAppRules = inAppRules
    }

    /// Parses the event's stack and computes its fingerprint.
    public func group(_ event: ErrorEvent) -> GroupedEvent {
        var steps = 0
        return group(event, steps: &steps)
    }

    /// As `group(_:)`, adding the work done (the parser's bytes split and lines visited, then the message
    /// bytes, frames and name bytes examined) to `steps`, so tests can bound it without timing anything.
    public func group(_ event: ErrorEvent, steps: inout Int) -> GroupedEvent {
        let language = event.language.flatMap(Language.init(tag:))
        let trace = StackTraceParser.parse(
            event.errorStack, language: language, inApp: inAppRules, reportedMessage: event.errorMessage, work: &steps)
        let primary = trace.exceptions.first
        // The span's tags are authoritative; the text's own header fills in when a tracer left them empty.
        let type = event.errorType.trimmingSpaces.isEmpty ? (primary?.type ?? "") : event.errorType
        let message = event.errorMessage.isEmpty ? (primary?.message ?? "") : event.errorMessage
        let normalized = MessageNormalizer.normalize(message)
        steps += normalized.steps
        let fingerprint = Fingerprinter.fingerprint(
            type: type,
            message: normalized,
            trace: trace,
            override: event.fingerprintOverride,
            steps: &steps
        )
        var shown = event
        shown.errorType = ErrorTypeName.canonical(event.errorType)
        return GroupedEvent(event: shown, stackTrace: trace, normalizedMessage: normalized.text, fingerprint: fingerprint)
    }
}
