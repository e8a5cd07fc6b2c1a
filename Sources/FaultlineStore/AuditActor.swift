/// Who made a change: an API token (by id and name), the configured `api-token`, the CLI working on the
/// store, or nobody in particular when the API runs without any token. Never carries a secret.
public struct AuditActor: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A token made by `faultline tokens create` or `POST /api/v1/tokens`.
        case token
        /// The server's configured `api-token` (an admin token).
        case apiToken = "api-token"
        /// A `faultline` command working on the store directly.
        case cli
        /// The API with no token configured and none created: open to anyone who can reach it.
        case anonymous
    }

    public var kind: Kind
    /// The token's id, for `token`.
    public var tokenID: Int64?
    /// The token's name, for `token`.
    public var name: String?

    public init(kind: Kind, tokenID: Int64? = nil, name: String? = nil) {
        self.kind = kind
        self.tokenID = tokenID
        self.name = name
    }

    public static let cli = AuditActor(kind: .cli)
    public static let apiToken = AuditActor(kind: .apiToken)
    public static let anonymous = AuditActor(kind: .anonymous)

    public static func token(id: Int64, name: String) -> AuditActor {
        AuditActor(kind: .token, tokenID: id, name: name)
    }

    public var description: String {
        switch kind {
        case .token: "token \(tokenID.map(String.init) ?? "?") (\(name ?? ""))"
        case .apiToken, .cli, .anonymous: kind.rawValue
        }
    }

    /// The one-column form the schema keeps: `cli`, `api-token`, `anonymous` or `token:<id>:<name>`.
    var storedText: String {
        switch kind {
        case .token: "token:\(tokenID ?? 0):\(name ?? "")"
        case .apiToken, .cli, .anonymous: kind.rawValue
        }
    }

    init?(storedText text: String) {
        if text.hasPrefix("token:") {
            let parts = text.dropFirst("token:".count).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let id = Int64(parts[0]) else { return nil }
            self.init(kind: .token, tokenID: id, name: String(parts[1]))
            return
        }
        guard let kind = Kind(rawValue: text), kind != .token else { return nil }
        self.init(kind: kind)
    }
}
