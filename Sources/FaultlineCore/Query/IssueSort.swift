import Foundation

/// Order of an issue list: a field and a direction.
public struct IssueSort: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The field to sort on.
    public enum Field: String, Sendable, Hashable, Codable, CaseIterable {
        case count
        case lastSeen
        case firstSeen
    }

    public var field: Field
    public var descending: Bool

    public init(_ field: Field, descending: Bool = true) {
        self.field = field
        self.descending = descending
    }

    /// Most recently seen first: the default.
    public static let lastSeenDescending = IssueSort(.lastSeen)

    /// Parses `count`, `lastSeen`, `first-seen`, `last_seen:asc`, `-count` (descending) or `+count` (ascending).
    /// Without a direction a sort is descending (most, latest first).
    public init?(parsing text: String) {
        var name = Substring(text.trimmingCharacters(in: .whitespaces))
        var descending = true
        if name.hasPrefix("-") {
            name = name.dropFirst()
        } else if name.hasPrefix("+") {
            descending = false
            name = name.dropFirst()
        } else if let colon = name.lastIndex(of: ":") {
            switch name[name.index(after: colon)...].lowercased() {
            case "asc": descending = false
            case "desc": descending = true
            default: return nil
            }
            name = name[..<colon]
        }
        let normalized = name.lowercased().filter { $0 != "-" && $0 != "_" }
        guard let field = Field.allCases.first(where: { $0.rawValue.lowercased() == normalized }) else { return nil }
        self.init(field, descending: descending)
    }

    public var description: String { "\(field.rawValue):\(descending ? "desc" : "asc")" }
}
