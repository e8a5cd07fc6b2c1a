/// Why an issue query could not be parsed, and where (1-based column, counted in characters).
public struct IssueQueryError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: String, Sendable, Hashable, Codable {
        case unterminatedQuote = "unterminated quote"
        case unknownKey = "unknown key"
        case emptyKey = "empty key"
        case emptyValue = "empty value"
        case invalidValue = "invalid value"
        case danglingNegation = "negation without a term"
    }

    public var reason: Reason
    /// 1-based column of the offending token (in characters of the query).
    public var column: Int
    /// The key or value at fault, when naming it helps (the user typed it; never a secret).
    public var token: String?

    public init(reason: Reason, column: Int, token: String? = nil) {
        self.reason = reason
        self.column = column
        self.token = token
    }

    /// 0-based offset of the offending token, in characters.
    public var offset: Int { column - 1 }

    public var description: String {
        if let token {
            return "invalid query at column \(column): \(reason.rawValue) '\(token)'"
        }
        return "invalid query at column \(column): \(reason.rawValue)"
    }
}
