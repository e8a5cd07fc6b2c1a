/// Parses the stack trace text a tracer put in `error.stack` (or OTel `exception.stacktrace`).
public enum StackTraceParser {
    /// Parses `text` with the parser for `language` (from the span's `language` tag), or the format detected
    /// from the text when nil. Never throws: text that no parser understands is kept whole, frame-less.
    public static func parse(_ text: String, language: Language? = nil, inApp: InAppRules = .default) -> StackTrace {
        // Placeholder until the per-language parsers land.
        StackTrace(language: language ?? .unknown, raw: text)
    }
}
