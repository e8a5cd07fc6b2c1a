/// What an API token may do, each scope including the ones before it: `read` may only read, `write` may
/// also change issues, links and monitors, `admin` may also manage tokens and read the audit list.
public enum TokenScope: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case read
    case write
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .write: 1
        case .admin: 2
        }
    }

    public static func < (lhs: TokenScope, rhs: TokenScope) -> Bool { lhs.rank < rhs.rank }

    /// Whether this scope covers what `needed` allows.
    public func covers(_ needed: TokenScope) -> Bool { self >= needed }
}
