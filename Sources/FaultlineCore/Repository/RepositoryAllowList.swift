import Foundation

/// Which repository URLs Faultline may clone: anyone who can send spans can name a URL.
///
/// Patterns are globs over `scheme://host[:port]/path` (`*` any run of characters, `?` one character),
/// e.g. `https://github.com/acme/*`. Local repositories (`/path`, `file://`) are allowed only by a
/// pattern that itself starts with `file://` or `/`: a bare `*` never opens the local disk.
public struct RepositoryAllowList: Sendable, Hashable, Codable {
    /// Default: HTTPS on the four big forges.
    public static let defaultPatterns = [
        "https://github.com/*",
        "https://gitlab.com/*",
        "https://bitbucket.org/*",
        "https://dev.azure.com/*",
    ]

    public static let `default` = RepositoryAllowList(patterns: defaultPatterns)

    /// The patterns as configured (local paths rewritten to `file://`).
    public let patterns: [String]

    public init(patterns: [String]) {
        self.patterns = patterns.map(RepositoryAllowList.normalise)
    }

    /// Whether `url` matches a pattern.
    public func allows(_ url: RepositoryURL) -> Bool {
        let candidates = [url.allowListForm, RepositoryURL.strippingGitSuffix(url.allowListForm)]
        for pattern in patterns {
            guard url.isLocal == pattern.hasPrefix("file://") else { continue }
            if candidates.contains(where: { Glob.matches(pattern: pattern, text: $0) }) { return true }
        }
        return false
    }

    /// One line for a frame's reason when `url` is refused.
    public func refusal(_ url: RepositoryURL) -> String {
        if url.isLocal {
            return "local repository \(url.displayURL) is not allowed: add a file:// pattern to the allow-list"
        }
        return "repository \(url.displayURL) does not match the allow-list"
    }

    private static func normalise(_ pattern: String) -> String {
        let trimmed = pattern.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("/") { return "file://" + trimmed }
        guard let schemeEnd = trimmed.range(of: "://") else { return trimmed }
        // Scheme and host are case-insensitive; the path is not.
        let afterScheme = trimmed[schemeEnd.upperBound...]
        let hostEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        return trimmed[..<schemeEnd.upperBound].lowercased() + afterScheme[..<hostEnd].lowercased() + afterScheme[hostEnd...]
    }
}

/// Shell-style glob over bytes: `*` matches any run (including `/`), `?` one byte.
package enum Glob {
    package static func matches(pattern: String, text: String) -> Bool {
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
