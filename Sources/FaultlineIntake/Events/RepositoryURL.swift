/// Repository URLs as tracers send them, made safe to store.
enum RepositoryURL {
    /// Removes `user:password@` (and any user, often a token, on http URLs) from a URL's authority;
    /// a bare ssh user (`ssh://git@host`, scp-like `git@host:path`) is kept, since cloning needs it.
    static func strippingCredentials(_ url: String) -> String {
        let trimmed = url.trimmingWhitespace()
        if let schemeEnd = trimmed.range(of: "://") {
            let authorityStart = schemeEnd.upperBound
            let rest = trimmed[authorityStart...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
            guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return trimmed }
            let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" || rest[..<at].contains(":") else { return trimmed }
            return String(trimmed[..<authorityStart]) + String(trimmed[trimmed.index(after: at)...])
        }
        // Scheme-less `user:token@host/path`: a colon before the `@` means a password is present.
        let authorityEnd = trimmed.firstIndex(of: "/") ?? trimmed.endIndex
        if let at = trimmed[..<authorityEnd].lastIndex(of: "@"), trimmed[..<at].contains(":") {
            return String(trimmed[trimmed.index(after: at)...])
        }
        return trimmed
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return String(self[start..<end])
    }
}
