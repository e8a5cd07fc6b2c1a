/// One AND-ed condition of an issue query.
public struct IssueQueryTerm: Sendable, Hashable, Codable {
    /// What the term tests.
    public enum Condition: Sendable, Hashable, Codable {
        /// `key:value` on a facet.
        case facet(IssueQueryKey, IssueQueryPattern)
        /// Free text (bare word or quoted phrase): case-insensitive substring of the error type or message.
        case text(String)
        /// `is:new` or `is:regression`.
        case flag(IssueQueryFlag)
    }

    public var condition: Condition
    /// True for `-key:value` / `-word`: the term must not hold.
    public var negated: Bool

    public init(_ condition: Condition, negated: Bool = false) {
        self.condition = condition
        self.negated = negated
    }
}

/// Boolean properties of an issue that `is:` tests.
public enum IssueQueryFlag: String, Sendable, Hashable, Codable, CaseIterable {
    /// First seen within the last two days.
    case new
    /// A resolved issue that came back in another version.
    case regression
}
