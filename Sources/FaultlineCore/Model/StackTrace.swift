/// One exception of a (possibly chained) stack trace.
public struct ExceptionTrace: Sendable, Hashable, Codable {
    /// How this exception relates to the one before it in `StackTrace.exceptions`.
    public enum Relation: String, Sendable, Hashable, Codable {
        /// The exception the error span reports.
        case primary
        /// Its cause (`Caused by:`, Python's `__cause__`, .NET inner exception, Go wrapped error).
        case cause
        /// Python's implicit context ("During handling of the above exception…").
        case context
        /// Java's `Suppressed:`.
        case suppressed
    }

    public var type: String?
    public var message: String?
    /// Frames ordered innermost first: index 0 is where the exception was raised.
    public var frames: [Frame]
    public var relation: Relation

    public init(type: String? = nil, message: String? = nil, frames: [Frame] = [], relation: Relation = .primary) {
        self.type = type
        self.message = message
        self.frames = frames
        self.relation = relation
    }
}

/// A parsed stack trace: the reported exception first, then its causes, and the raw text kept whole.
public struct StackTrace: Sendable, Hashable, Codable {
    public var language: Language
    /// `exceptions[0]` is the exception the span reports; the rest are its causes in order.
    /// Empty when the text could not be parsed (the raw text is still kept).
    public var exceptions: [ExceptionTrace]
    /// The text exactly as received.
    public var raw: String
    /// What the parser dropped or could not read, for the user to see.
    public var warnings: [String]

    public init(language: Language, exceptions: [ExceptionTrace] = [], raw: String, warnings: [String] = []) {
        self.language = language
        self.exceptions = exceptions
        self.raw = raw
        self.warnings = warnings
    }

    /// Frames of the reported exception, innermost first.
    public var frames: [Frame] { exceptions.first?.frames ?? [] }
}
