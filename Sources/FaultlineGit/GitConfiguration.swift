internal import CLibgit2

/// What the user's and system's git configuration does to URLs: libgit2 applies `url.<base>.insteadOf`
/// from there when it creates a remote, so an error must name the URL it really used.
public enum GitConfiguration {
    /// `url` after the `insteadOf` rules of the default git configuration (global, XDG and system
    /// files), the longest matching prefix winning as in git; `url` itself when none matches.
    public static func applyingInsteadOf(to url: String) -> String {
        Libgit2.ensureInitialised()
        var config: OpaquePointer?
        guard git_config_open_default(&config) == 0, let config else { return url }
        defer { git_config_free(config) }
        let rules = InsteadOfRules()
        let payload = Unmanaged.passUnretained(rules).toOpaque()
        _ = withExtendedLifetime(rules) {
            git_config_foreach_match(config, "^url\\..*\\.insteadof$", { entry, payload in
                guard let entry, let payload, let name = entry.pointee.name, let value = entry.pointee.value else { return 0 }
                let rules = Unmanaged<InsteadOfRules>.fromOpaque(payload).takeUnretainedValue()
                // The entry's name is `url.<base>.insteadof`; its value the prefix to replace.
                let key = String(cString: name)
                let base = key.dropFirst("url.".count).dropLast(".insteadof".count)
                rules.rules.append((prefix: String(cString: value), base: String(base)))
                return 0
            }, payload)
        }
        guard let best = rules.rules.filter({ !$0.prefix.isEmpty && url.hasPrefix($0.prefix) }).max(by: { $0.prefix.count < $1.prefix.count }) else {
            return url
        }
        return best.base + url.dropFirst(best.prefix.count)
    }
}

/// The rules collected by the C callback.
private final class InsteadOfRules {
    var rules: [(prefix: String, base: String)] = []
}
