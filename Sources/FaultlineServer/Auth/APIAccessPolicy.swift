import FaultlineStore
import HTTPTypes

/// What each request under `/api/v1` needs, by rule rather than by route, so routes added later are covered:
/// reading (`GET`, `HEAD`) needs `read`, anything else `write`; `/api/v1/tokens` and `/api/v1/audit` need
/// `admin`; the OpenAPI document and `/api/v1/session` (signing in and out) are open.
enum APIAccessPolicy {
    enum Requirement: Sendable, Hashable {
        /// Not an API path: the policy does not apply (intake, explorer assets).
        case notAPI
        /// Open: credentials are read if sent, never required.
        case open
        case scope(TokenScope)
        /// A path the router could be tricked by (`.` or `..` segments, undecodable escapes).
        case malformed
    }

    /// Sections whose every method needs `admin`.
    static let adminSections: Set<String> = ["tokens", "audit"]

    static func requirement(method: HTTPRequest.Method, path: String) -> Requirement {
        // Compared decoded and case-folded, so no spelling of a path the router might match escapes the rule.
        var components: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = raw.removingPercentEncoding else { return isAPIPrefix(path) ? .malformed : .notAPI }
            components.append(decoded.lowercased())
        }
        guard components.count >= 2, components[0] == "api", components[1] == "v1" else { return .notAPI }
        if components.contains(where: { $0 == "." || $0 == ".." || $0.contains("/") }) { return .malformed }
        let rest = components.dropFirst(2)
        if rest == ["openapi.json"], method == .get || method == .head { return .open }
        if rest.first == "session", rest.count == 1 { return .open }
        if let section = rest.first, adminSections.contains(section) { return .scope(.admin) }
        return method == .get || method == .head ? .scope(.read) : .scope(.write)
    }

    private static func isAPIPrefix(_ path: String) -> Bool {
        path.lowercased().split(separator: "/").prefix(2) == ["api", "v1"]
    }
}
