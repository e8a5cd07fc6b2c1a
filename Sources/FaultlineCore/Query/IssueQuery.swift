/// A parsed issue search: terms combined with AND (`service:checkout -env:staging "timed out"`).
///
/// Grammar, whitespace-separated:
/// - `key:value`, `@key:value`, `key:"quoted value"`: a facet (see ``IssueQueryKey``); `*` in a value is a wildcard.
/// - `"quoted text"` or a bare word: case-insensitive free text over the error type and message.
/// - a leading `-` negates any term; a bare `AND` is accepted and ignored.
public struct IssueQuery: Sendable, Hashable, Codable {
    public var terms: [IssueQueryTerm]

    public init(terms: [IssueQueryTerm] = []) {
        self.terms = terms
    }

    /// The longest query text accepted, in characters.
    public static let maxLength = 8_192
    /// The most terms one query may have: each becomes a condition of one SQL expression, whose depth
    /// SQLite bounds (1,000), so a longer query would fail in the store instead of here.
    public static let maxTerms = 100
    /// The longest free-text word or facet value, in characters (SQLite's LIKE pattern limit is 50,000 bytes).
    public static let maxTermLength = 1_000

    /// The query that matches every issue.
    public static let all = IssueQuery()

    /// Parses the query language; throws an ``IssueQueryError`` naming the column of the first problem.
    /// Text over ``maxLength`` characters, more than ``maxTerms`` terms, a term over ``maxTermLength``
    /// characters and control characters (a NUL would end the text for SQLite) are refused.
    public init(parsing text: String) throws(IssueQueryError) {
        guard text.utf8.count <= Self.maxLength || text.count <= Self.maxLength else {
            throw IssueQueryError(reason: .queryTooLong, column: Self.maxLength + 1)
        }
        var parser = IssueQueryParser(text)
        self.terms = try parser.parseTerms()
    }

    /// True when the query has no terms.
    public var isEmpty: Bool { terms.isEmpty }
}

/// Hand-written scanner over the query's characters; columns are 1-based character positions.
struct IssueQueryParser {
    private let characters: [Character]
    private var index = 0

    init(_ text: String) {
        self.characters = Array(text)
    }

    mutating func parseTerms() throws(IssueQueryError) -> [IssueQueryTerm] {
        if let control = characters.firstIndex(where: Self.isControl) {
            throw IssueQueryError(reason: .controlCharacter, column: control + 1)
        }
        var terms: [IssueQueryTerm] = []
        while true {
            skipWhitespace()
            guard index < characters.count else { return terms }
            let start = index
            if let term = try parseTerm() {
                guard terms.count < IssueQuery.maxTerms else {
                    throw IssueQueryError(reason: .tooManyTerms, column: start + 1)
                }
                terms.append(term)
            }
        }
    }

    /// C0 controls and DEL, except the tab and line breaks that separate terms.
    private static func isControl(_ character: Character) -> Bool {
        character.unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7f
        }
    }

    private func checkLength(_ text: String, column: Int) throws(IssueQueryError) {
        guard text.count <= IssueQuery.maxTermLength else {
            throw IssueQueryError(reason: .termTooLong, column: column)
        }
    }

    private mutating func parseTerm() throws(IssueQueryError) -> IssueQueryTerm? {
        let start = index
        var negated = false
        if characters[index] == "-" {
            negated = true
            index += 1
            guard index < characters.count, !characters[index].isWhitespace else {
                throw IssueQueryError(reason: .danglingNegation, column: start + 1)
            }
        }
        if characters[index] == "\"" {
            let column = index + 1
            let text = try readQuoted()
            try checkLength(text, column: column)
            return IssueQueryTerm(.text(text), negated: negated)
        }
        let wordStart = index
        while index < characters.count, !characters[index].isWhitespace, characters[index] != ":" {
            index += 1
        }
        let word = String(characters[wordStart..<index])
        try checkLength(word, column: wordStart + 1)
        guard index < characters.count, characters[index] == ":" else {
            if word == "AND", !negated { return nil }
            return IssueQueryTerm(.text(word), negated: negated)
        }
        // key:value
        guard !word.isEmpty, word != "@" else {
            throw IssueQueryError(reason: .emptyKey, column: wordStart + 1)
        }
        guard let key = IssueQueryKey(typed: Substring(word)) else {
            throw IssueQueryError(reason: .unknownKey, column: wordStart + 1, token: word)
        }
        index += 1 // the colon
        let valueColumn = index + 1
        let value: String
        if index < characters.count, characters[index] == "\"" {
            value = try readQuoted()
        } else {
            let valueStart = index
            while index < characters.count, !characters[index].isWhitespace {
                index += 1
            }
            value = String(characters[valueStart..<index])
        }
        guard !value.isEmpty else {
            throw IssueQueryError(reason: .emptyValue, column: valueColumn, token: word)
        }
        try checkLength(value, column: valueColumn)
        return IssueQueryTerm(try condition(key: key, value: value, column: valueColumn), negated: negated)
    }

    private func condition(key: IssueQueryKey, value: String, column: Int) throws(IssueQueryError) -> IssueQueryTerm.Condition {
        let pattern = IssueQueryPattern(value)
        switch key {
        case .is:
            guard let flag = IssueQueryFlag(rawValue: value.lowercased()) else {
                throw IssueQueryError(reason: .invalidValue, column: column, token: value)
            }
            return .flag(flag)
        case .status:
            if let literal = pattern.literal {
                guard let status = IssueStatus(rawValue: literal.lowercased()) else {
                    throw IssueQueryError(reason: .invalidValue, column: column, token: value)
                }
                return .facet(.status, IssueQueryPattern(status.rawValue))
            }
            return .facet(.status, pattern)
        default:
            return .facet(key, pattern)
        }
    }

    /// Reads `"…"` starting at the opening quote; `\"` and `\\` are escapes.
    private mutating func readQuoted() throws(IssueQueryError) -> String {
        let open = index
        index += 1
        var text = ""
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count, characters[index + 1] == "\"" || characters[index + 1] == "\\" {
                text.append(characters[index + 1])
                index += 2
                continue
            }
            if character == "\"" {
                index += 1
                return text
            }
            text.append(character)
            index += 1
        }
        throw IssueQueryError(reason: .unterminatedQuote, column: open + 1)
    }

    private mutating func skipWhitespace() {
        while index < characters.count, characters[index].isWhitespace {
            index += 1
        }
    }
}
