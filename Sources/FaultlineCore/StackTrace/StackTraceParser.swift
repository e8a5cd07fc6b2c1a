/// Parses the stack trace text a tracer put in `error.stack` (or OTel `exception.stacktrace`).
public enum StackTraceParser {
    /// Parses `text` with the parser for `language` (from the span's `language` tag), or the format detected
    /// from the text when nil. Never throws: text that no parser understands is kept whole, frame-less.
    /// `reportedMessage` is the span's `error.message`: a parser may take from it what the tracer left out of
    /// the text (dd-trace-php puts the innermost exception's header and throw position only there).
    public static func parse(
        _ text: String, language: Language? = nil, inApp: InAppRules = .default, reportedMessage: String? = nil
    ) -> StackTrace {
        var work = 0
        return parse(text, language: language, inApp: inApp, reportedMessage: reportedMessage, work: &work)
    }

    /// The same parse, adding the units of work done to `work` (bytes split plus lines visited), so tests can
    /// check that the work grows linearly with the input.
    static func parse(
        _ text: String, language: Language?, inApp: InAppRules, reportedMessage: String? = nil, work: inout Int
    ) -> StackTrace {
        var splitter = ParseContext(language: .unknown, rules: inApp)
        // Native UTF-8 storage makes byte offsets O(1) to turn into indices (a bridged string would not be).
        var contiguous = text
        contiguous.makeContiguousUTF8()
        let lines = splitter.lines(of: contiguous)
        work += splitter.work
        guard !lines.isEmpty else {
            return StackTrace(language: language ?? .unknown, raw: text, warnings: ["the stack trace is empty"])
        }

        let requested = language.flatMap { $0 == .unknown ? nil : $0 }
        let chosen = requested ?? TraceFormatDetector.detect(lines, work: &work)
        var parsed = run(chosen, lines: lines, rules: inApp, reportedMessage: reportedMessage, work: &work)

        // A tag can be wrong (a JVM service reporting a Python subprocess's error); trust the text then.
        if let requested, parsed.frameCount == 0 {
            let detected = TraceFormatDetector.detect(lines, work: &work)
            if detected != requested, detected != .unknown {
                let second = run(detected, lines: lines, rules: inApp, reportedMessage: reportedMessage, work: &work)
                if second.frameCount > 0 {
                    parsed = second
                    parsed.warnings.insert(
                        "the language tag says \(requested.rawValue) but the text reads as \(detected.rawValue)", at: 0)
                }
            }
        }
        if parsed.frameCount == 0 {
            parsed.warnings.append("no stack frames recognised; the text is kept whole")
        }
        return StackTrace(
            language: parsed.language, exceptions: parsed.exceptions, raw: text, warnings: parsed.warnings)
    }

    private struct Parsed {
        var language: Language
        var exceptions: [ExceptionTrace]
        var warnings: [String]
        var frameCount: Int { exceptions.reduce(0) { $0 + $1.frames.count } }
    }

    private static func run(
        _ language: Language, lines: [Substring], rules: InAppRules, reportedMessage: String?, work: inout Int
    ) -> Parsed {
        var context = ParseContext(language: language, rules: rules)
        context.reportedMessage = reportedMessage
        let exceptions: [ExceptionTrace]
        switch language {
        case .python: exceptions = PythonTraceParser.parse(lines, context: &context)
        case .jvm: exceptions = JavaTraceParser.parse(lines, context: &context)
        case .go: exceptions = GoTraceParser.parse(lines, context: &context)
        case .nodejs: exceptions = NodeTraceParser.parse(lines, context: &context)
        case .ruby: exceptions = RubyTraceParser.parse(lines, context: &context)
        case .dotnet: exceptions = DotNetTraceParser.parse(lines, context: &context)
        case .php: exceptions = PHPTraceParser.parse(lines, context: &context)
        case .cpp: exceptions = CppTraceParser.parse(lines, context: &context)
        case .unknown: exceptions = []
        }
        let kept = context.finish(exceptions)
        work += context.work
        return Parsed(language: language, exceptions: kept, warnings: context.warnings)
    }
}
