import FaultlineCore
import FaultlineGit

/// Where clone and fetch credentials come from (configuration or environment). Never printed.
public struct GitCredentialSource: Sendable, CustomStringConvertible, CustomReflectable {
    /// HTTPS tokens by lowercased host; `*` applies to every allowed host.
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

    /// Reads `FAULTLINE_GIT_TOKEN` (every host), `FAULTLINE_GIT_USERNAME`, `FAULTLINE_GIT_SSH_KEY`,
    /// `FAULTLINE_GIT_SSH_PUBLIC_KEY` and `FAULTLINE_GIT_SSH_PASSPHRASE`.
    public static func fromEnvironment(_ environment: [String: String]) -> GitCredentialSource {
        var tokens: [String: String] = [:]
        if let token = environment["FAULTLINE_GIT_TOKEN"], !token.isEmpty { tokens["*"] = token }
        return GitCredentialSource(
            httpsTokens: tokens,
            httpsUsername: environment["FAULTLINE_GIT_USERNAME"] ?? "x-access-token",
            sshPrivateKeyPath: environment["FAULTLINE_GIT_SSH_KEY"],
            sshPublicKeyPath: environment["FAULTLINE_GIT_SSH_PUBLIC_KEY"],
            sshPassphrase: environment["FAULTLINE_GIT_SSH_PASSPHRASE"]
        )
    }

    /// The credentials to offer for `url`, if any.
    func credentials(for url: RepositoryURL) -> GitCredentials? {
        switch url.transport {
        case .https, .http:
            guard let token = httpsTokens[url.host] ?? httpsTokens["*"] else { return nil }
            return .token(username: httpsUsername, token: token)
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
