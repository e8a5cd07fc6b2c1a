/// A facet value to match: literal, or with `*` wildcards (`1.4.*`, `*Timeout*`).
public struct IssueQueryPattern: Sendable, Hashable, Codable {
    /// The value as typed, quotes removed; `*` is a wildcard unless escaped as `\*`.
    public var text: String
    /// The literal pieces between wildcards; a single piece means an exact match.
    public var pieces: [String]

    /// Builds a pattern from the typed value, splitting on unescaped `*`.
    public init(_ text: String) {
        self.text = text
        var pieces: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "*" {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        pieces.append(current)
        self.pieces = pieces
    }

    /// True when the pattern contains at least one wildcard.
    public var isWildcard: Bool { pieces.count > 1 }

    /// The literal value when the pattern has no wildcard.
    public var literal: String? { isWildcard ? nil : pieces[0] }

    /// Case-sensitive match of the whole value, `*` matching any run of characters.
    public func matches(_ value: String) -> Bool {
        guard isWildcard else { return value == pieces[0] }
        var rest = Substring(value)
        guard let first = pieces.first, rest.hasPrefix(first) else { return false }
        rest = rest.dropFirst(first.count)
        let middle = pieces.dropFirst().dropLast()
        for piece in middle where !piece.isEmpty {
            guard let range = rest.range(of: piece) else { return false }
            rest = rest[range.upperBound...]
        }
        guard let last = pieces.last else { return true }
        return rest.hasSuffix(last)
    }
}
