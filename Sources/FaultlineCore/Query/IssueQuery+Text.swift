extension IssueQuery: CustomStringConvertible {
    /// The query in its canonical text form; parsing it gives back an equal query.
    public var description: String {
        terms.map(\.description).joined(separator: " ")
    }
}

extension IssueQueryTerm: CustomStringConvertible {
    public var description: String {
        let body: String
        switch condition {
        case .facet(let key, let pattern):
            body = "\(key.rawValue):\(Self.quotedIfNeeded(pattern.text))"
        case .text(let text):
            let needsQuotes = text.isEmpty || text == "AND" || text.hasPrefix("-")
                || text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == ":" })
            body = needsQuotes ? Self.quoted(text) : text
        case .flag(let flag):
            body = "is:\(flag.rawValue)"
        }
        return negated ? "-" + body : body
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        value.isEmpty || value.hasPrefix("\"") || value.contains(where: \.isWhitespace) ? quoted(value) : value
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }
}
