/// Turns an error event into a parsed stack trace and a fingerprint.
public struct Grouper: Sendable {
    /// Bumped whenever the fingerprint algorithm changes; issues record the version that made them.
    /// - 1: the first release.
    /// - 2: the reported type without a built-in prefix (`builtins.ValueError` = `ValueError`), causes by
    ///   class name without module path.
    /// - 3: JVM frames as dd-trace-java's shortened traces keep them (classes by package initials, in-app
    ///   decided on the abbreviated name, each exception's first 8 and last 4 frames); dd-trace-php's
    ///   `Uncaught Type: msg in /path:12` message reduced to the exception's own message.
    public static let version = 3
    /// Earlier versions whose fingerprints are still looked up, newest first, so their issues keep growing.
    public static let previousVersions = [2, 1]

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
        group(event, trace: parse(event, steps: &steps), steps: &steps)
    }

    /// Groups one payload's events in order, parsing a stack that several events share (one v0.5
    /// string-table entry that many spans point at) once: a payload's parsing work is bounded by its
    /// distinct stacks, not by how often they are referenced.
    public func group(_ events: [ErrorEvent]) -> [GroupedEvent] {
        var steps = 0
        return group(events, steps: &steps)
    }

    /// As `group(_:)` for a payload, adding the work done to `steps`.
    public func group(_ events: [ErrorEvent], steps: inout Int) -> [GroupedEvent] {
        struct Key: Hashable {
            var stack: StringIdentity
            var language: String?
        }
        var parsed: [Key: (trace: StackTrace, message: String)] = [:]
        var grouped: [GroupedEvent] = []
        grouped.reserveCapacity(events.count)
        for event in events {
            guard let identity = StringIdentity(event.errorStack) else {
                grouped.append(group(event, steps: &steps))
                continue
            }
            let key = Key(stack: identity, language: event.language)
            // Only the PHP parser reads the reported message; other traces parse the same whatever it says.
            if let known = parsed[key], known.trace.language != .php || known.message == event.errorMessage {
                grouped.append(group(event, trace: known.trace, steps: &steps))
                continue
            }
            let trace = parse(event, steps: &steps)
            parsed[key] = (trace, event.errorMessage)
            grouped.append(group(event, trace: trace, steps: &steps))
        }
        return grouped
    }

    private func parse(_ event: ErrorEvent, steps: inout Int) -> StackTrace {
        let language = event.language.flatMap(Language.init(tag:))
        return StackTraceParser.parse(
            event.errorStack, language: language, inApp: inAppRules, reportedMessage: event.errorMessage, work: &steps)
    }

    private func group(_ event: ErrorEvent, trace: StackTrace, steps: inout Int) -> GroupedEvent {
        let primary = trace.exceptions.first
        // The span's tags are authoritative; the text's own header fills in when a tracer left them empty.
        let type = event.errorType.trimmingSpaces.isEmpty ? (primary?.type ?? "") : event.errorType
        let reported = event.errorMessage.isEmpty ? (primary?.message ?? "") : event.errorMessage
        // dd-trace-php reports `Uncaught Type: msg in /abs/path/file.php:13`: the state, type and throw
        // position are not the message (the position is the innermost frame), and would split issues.
        let ownMessage = trace.language == .php ? PHPTraceParser.exceptionMessage(ofReported: reported) : nil
        let normalized = MessageNormalizer.normalize(ownMessage ?? reported)
        steps += normalized.steps
        var previous = Fingerprinter.PreviousInput()
        if ownMessage != nil {
            let legacy = MessageNormalizer.normalize(reported)
            steps += legacy.steps
            previous.message = legacy
        }
        var grouped = trace
        if trace.language == .jvm {
            grouped = Self.relabelled(trace) { frame in
                // Decided on the abbreviated name, so a full and an abbreviated trace pick the same frames.
                let module = frame.module.map(JVMPackageAbbreviation.abbreviated)
                return inAppRules.isInApp(file: frame.file, module: module, function: frame.function, language: .jvm)
            }
            if trace.exceptions.contains(where: { $0.frames.contains { $0.module.map(JVMPackageAbbreviation.isAbbreviated) == true } }) {
                previous.trace = Self.relabelled(trace) { frame in
                    inAppRules.isInAppIgnoringAbbreviation(file: frame.file, module: frame.module, function: frame.function, language: .jvm)
                }
            }
        }
        let fingerprint = Fingerprinter.fingerprint(
            type: type,
            message: normalized,
            trace: grouped,
            override: event.fingerprintOverride,
            previous: previous,
            steps: &steps
        )
        var shown = event
        shown.errorType = ErrorTypeName.canonical(event.errorType)
        if let ownMessage, !event.errorMessage.isEmpty { shown.errorMessage = ownMessage }
        return GroupedEvent(event: shown, stackTrace: trace, normalizedMessage: normalized.text, fingerprint: fingerprint)
    }

    /// The trace with each frame's in-app flag decided again.
    private static func relabelled(_ trace: StackTrace, inApp: (Frame) -> Bool) -> StackTrace {
        var copy = trace
        for index in copy.exceptions.indices {
            for frameIndex in copy.exceptions[index].frames.indices {
                copy.exceptions[index].frames[frameIndex].inApp = inApp(copy.exceptions[index].frames[frameIndex])
            }
        }
        return copy
    }
}
