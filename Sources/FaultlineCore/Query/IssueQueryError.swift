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
        case queryTooLong = "query too long"
        case tooManyTerms = "too many terms"
        case termTooLong = "term too long"
        case controlCharacter = "control character"
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
        switch reason {
        case .queryTooLong:
            return "invalid query: \(reason.rawValue) (at most \(IssueQuery.maxLength) characters)"
        case .tooManyTerms:
            return "invalid query at column \(column): \(reason.rawValue) (at most \(IssueQuery.maxTerms))"
        case .termTooLong:
            return "invalid query at column \(column): \(reason.rawValue) (at most \(IssueQuery.maxTermLength) characters)"
        case .controlCharacter:
            return "invalid query at column \(column): \(reason.rawValue) (U+0000 to U+001F and U+007F other than tab and line breaks)"
        default:
            break
        }
        if let token {
            return "invalid query at column \(column): \(reason.rawValue) '\(token)'"
        }
        return "invalid query at column \(column): \(reason.rawValue)"
    }
}
