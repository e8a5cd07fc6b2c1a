import FaultlineCore
import FaultlineGit

/// Where clone and fetch credentials come from (configuration or environment). Never printed.
public struct GitCredentialSource: Sendable, CustomStringConvertible, CustomReflectable {
    /// HTTPS tokens by lowercased host (`host` or `host:port`), each sent only to its host and only over
    /// https: never over plain http, never to another host.
    public var httpsTokens: [String: String]
    /// User name sent with a token (GitHub and GitLab accept `x-access-token` / `oauth2`).
    public var httpsUsername: String
    public var sshPrivateKeyPath: String?
    public var sshPublicKeyPath: String?
    public var sshPassphrase: String?

    public init(httpsTokens: [String: String] = [:], httpsUsername: String = "x-access-token", sshPrivateKeyPath: String? = nil, sshPublicKeyPath: String? = nil, sshPassphrase: String? = nil) {
        self.httpsTokens = Dictionary(httpsTokens.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.httpsUsername = httpsUsername
        self.sshPrivateKeyPath = sshPrivateKeyPath
        self.sshPublicKeyPath = sshPublicKeyPath
        self.sshPassphrase = sshPassphrase
    }

    /// Reads `FAULTLINE_GIT_TOKEN` for the hosts in `FAULTLINE_GIT_TOKEN_HOSTS` (comma-separated),
    /// `FAULTLINE_GIT_USERNAME`, `FAULTLINE_GIT_SSH_KEY`, `FAULTLINE_GIT_SSH_PUBLIC_KEY` and
    /// `FAULTLINE_GIT_SSH_PASSPHRASE`.
    public static func fromEnvironment(_ environment: [String: String]) -> GitCredentialSource {
        var tokens: [String: String] = [:]
        if let token = environment["FAULTLINE_GIT_TOKEN"], !token.isEmpty {
            let hosts = (environment["FAULTLINE_GIT_TOKEN_HOSTS"] ?? "").split(separator: ",")
            for host in hosts {
                let trimmed = host.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { tokens[trimmed] = token }
            }
        }
        return GitCredentialSource(
            httpsTokens: tokens,
            httpsUsername: environment["FAULTLINE_GIT_USERNAME"] ?? "x-access-token",
            sshPrivateKeyPath: environment["FAULTLINE_GIT_SSH_KEY"],
            sshPublicKeyPath: environment["FAULTLINE_GIT_SSH_PUBLIC_KEY"],
            sshPassphrase: environment["FAULTLINE_GIT_SSH_PASSPHRASE"]
        )
    }

    /// The hosts a token configured without hosts (`git-token`, `FAULTLINE_GIT_TOKEN`) is sent to: those
    /// the operator allowed explicitly with an https pattern naming the host (`https://git.acme.dev/*`),
    /// never a wildcard host nor the default forges (a GitHub token must not go to GitLab).
    public static func tokenHosts(explicitPatterns: [String]) -> [String] {
        var hosts: [String] = []
        for pattern in explicitPatterns {
            let trimmed = pattern.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix("https://") else { continue }
            let rest = trimmed.dropFirst("https://".count)
            var host = rest.prefix { $0 != "/" }.lowercased()
            // Tokens are keyed by host alone, as `RepositoryURL.host` is.
            if let close = host.lastIndex(of: "]") {
                host = String(host[...close])
            } else if let colon = host.lastIndex(of: ":") {
                host = String(host[..<colon])
            }
            guard !host.isEmpty, !host.contains("*"), !host.contains("?"), !host.contains("@"), !hosts.contains(host) else { continue }
            hosts.append(host)
        }
        return hosts
    }

    /// The credentials to offer for `url`, if any.
    func credentials(for url: RepositoryURL) -> GitCredentials? {
        switch url.transport {
        case .https:
            guard let token = httpsTokens[url.host] else { return nil }
            return .token(username: httpsUsername, token: token)
        case .http:
            // A token over plain http is a token handed to anyone on the path.
            return nil
        case .ssh:
            guard let key = sshPrivateKeyPath else { return nil }
            return .sshKey(username: url.sshUser ?? "git", publicKeyPath: sshPublicKeyPath, privateKeyPath: key, passphrase: sshPassphrase)
        case .git, .file:
            return nil
        }
    }

    public var description: String {
        "GitCredentialSource(https hosts: \(httpsTokens.keys.sorted()), ssh key: \(sshPrivateKeyPath == nil ? "none" : "set"))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["description": description])
    }
}
