/// Where a repository is really fetched from, like git's `url.<base>.insteadOf`: the setting
/// `repo-url-rewrite = https://github.com/acme/=file:///srv/git/acme/` makes a service tagged with
/// `https://github.com/acme/shop.git` clone `file:///srv/git/acme/shop.git`, for offline teams and
/// internal mirror hosts. Only the transfer uses the rewritten URL: the mirror's identity, the
/// allow-list check, permalinks and everything shown keep the tagged URL.
public struct RepositoryURLRewrite: Sendable, Hashable, CustomStringConvertible {
    /// What tagged URLs start with (`https://github.com/acme/`).
    public let prefix: String
    /// What replaces it (`file:///srv/git/acme/`).
    public let replacement: String

    /// Parses `PREFIX=REPLACEMENT`; the first `=` separates them (URLs rarely hold one before their path).
    public init(_ setting: String) throws(RepositoryURLError) {
        let text = setting.trimmingCharacters(in: .whitespaces)
        guard let equals = text.firstIndex(of: "=") else {
            throw RepositoryURLError(reason: "a rewrite must read PREFIX=REPLACEMENT, e.g. https://github.com/acme/=file:///srv/git/acme/")
        }
        let prefix = text[..<equals].trimmingCharacters(in: .whitespaces)
        let replacement = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !prefix.isEmpty, !replacement.isEmpty else {
            throw RepositoryURLError(reason: "a rewrite needs both a prefix and a replacement (PREFIX=REPLACEMENT)")
        }
        // The replacement must make a repository URL once a path is appended.
        _ = try RepositoryURL(replacement + (replacement.hasSuffix("/") || replacement.hasSuffix(":") ? "" : "/") + "x")
        self.prefix = prefix
        self.replacement = replacement
    }

    public var description: String { "\(prefix)=\(replacement)" }

    /// The part of `url` after `prefix`, when one of its spellings starts with it; nil otherwise.
    func remainder(of url: RepositoryURL) -> String? {
        for spelling in url.rewriteSpellings {
            if spelling.hasPrefix(prefix) { return String(spelling.dropFirst(prefix.count)) }
            // Forges that ignore case in names match the prefix in any case, as they would serve it.
            if url.forge != nil, spelling.lowercased().hasPrefix(prefix.lowercased()) {
                return String(spelling.dropFirst(prefix.count))
            }
        }
        return nil
    }
}

/// Every configured rewrite; the longest matching prefix wins, as with git.
public struct RepositoryURLRewrites: Sendable, Hashable {
    public var rules: [RepositoryURLRewrite]

    public init(_ rules: [RepositoryURLRewrite] = []) {
        self.rules = rules
    }

    /// The URL to clone and fetch for `url`: `url` itself unless a rule matches.
    public func effective(_ url: RepositoryURL) throws(RepositoryURLError) -> RepositoryURL {
        var best: (rule: RepositoryURLRewrite, remainder: String)?
        for rule in rules {
            guard let remainder = rule.remainder(of: url) else { continue }
            if best == nil || rule.prefix.count > best!.rule.prefix.count { best = (rule, remainder) }
        }
        guard let best else { return url }
        do {
            return try RepositoryURL(best.rule.replacement + best.remainder)
        } catch {
            throw RepositoryURLError(reason: "rewrite \(best.rule.prefix)=… of \(url.displayURL) gives no repository URL: \(error.reason)")
        }
    }
}

extension RepositoryURL {
    /// The spellings a rewrite prefix is matched against: the clone URL (with `.git` if it was given),
    /// the same without a user, and the scp-like form of SSH URLs (`git@github.com:acme/shop.git`).
    var rewriteSpellings: [String] {
        var spellings = [cloneURL, allowListForm]
        if transport == .ssh, port == nil {
            spellings.append((sshUser.map { $0 + "@" } ?? "") + host + ":" + path)
        }
        return spellings
    }
}
