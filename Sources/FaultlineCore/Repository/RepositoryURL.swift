import Foundation

/// A repository URL parsed and normalised, so every spelling of one repository shares one key and one mirror.
///
/// `git@github.com:Org/x.git`, `ssh://git@github.com/Org/x`, `https://user:token@GitHub.com/Org/x.git`
/// all have the key `github.com/org/x` (forges that ignore case, lowercased). Credentials in the input are dropped, never kept.
public struct RepositoryURL: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How the repository is reached.
    public enum Transport: String, Sendable, Hashable, Codable {
        case https, http, ssh, git, file
    }

    public let transport: Transport
    /// Lowercased host; empty for local repositories.
    public let host: String
    /// Non-default port, if one was given.
    public let port: Int?
    /// The SSH user (`git`), never a password; nil for other transports.
    public let sshUser: String?
    /// Path as given, without leading or trailing `/` (network) or absolute (file), credentials-free.
    public let path: String

    /// Parses `input`; throws `RepositoryURLError` (whose description never echoes credentials).
    public init(_ input: String) throws(RepositoryURLError) {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw RepositoryURLError(reason: "the URL is empty") }
        guard !text.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw RepositoryURLError(reason: "the URL contains control characters")
        }
        if text.hasPrefix("/") {
            self = try RepositoryURL.local(path: text)
            return
        }
        if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            var rest = text[schemeEnd.upperBound...]
            if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
            if scheme == "file" {
                var localPath = String(rest)
                if localPath.lowercased().hasPrefix("localhost/") { localPath = String(localPath.dropFirst("localhost".count)) }
                self = try RepositoryURL.local(path: localPath.removingPercentEncoding ?? localPath)
                return
            }
            let transport: Transport
            switch scheme {
            case "https": transport = .https
            case "http": transport = .http
            case "ssh", "git+ssh", "ssh+git": transport = .ssh
            case "git": transport = .git
            default: throw RepositoryURLError(reason: "unsupported scheme '\(scheme)'")
            }
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            var user: Substring?
            if let at = authority.lastIndex(of: "@") {
                // Only the user name before any ':' survives, and only for SSH: it is not secret there.
                user = authority[..<at].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first
                authority = authority[authority.index(after: at)...]
            }
            let (host, port) = try RepositoryURL.splitHostPort(authority)
            let path = try RepositoryURL.cleanNetworkPath(rest[authorityEnd...])
            self.init(transport: transport, host: host, port: RepositoryURL.nonDefault(port, for: transport), sshUser: transport == .ssh ? user.map(String.init) : nil, path: path)
            return
        }
        // Scheme-less `host/path` (ddtrace strips the scheme), possibly with `user:token@` before it:
        // HTTPS, the credentials dropped. Told from scp-like `user@host:path` by the colon: here it is
        // before the `@` (a password) or absent before the first `/`.
        let firstSlash = text.firstIndex(of: "/") ?? text.endIndex
        let head = text[..<firstSlash]
        let at = head.lastIndex(of: "@")
        let firstColon = head.firstIndex(of: ":")
        let isCredentialForm = at != nil && firstColon != nil && firstColon! < at!
        if firstSlash != text.endIndex, firstColon == nil || isCredentialForm {
            let host = at.map { head[head.index(after: $0)...] } ?? head
            guard host.contains(".") || host.hasPrefix("localhost") else {
                throw RepositoryURLError(reason: "not a URL, an scp-style address or an absolute path")
            }
            let (parsedHost, port) = try RepositoryURL.splitHostPort(host)
            let path = try RepositoryURL.cleanNetworkPath(text[firstSlash...])
            self.init(transport: .https, host: parsedHost, port: RepositoryURL.nonDefault(port, for: .https), sshUser: nil, path: path)
            return
        }
        // scp-like syntax: [user@]host:path, with no slash before the colon.
        guard let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") else {
            throw RepositoryURLError(reason: "not a URL, an scp-style address or an absolute path")
        }
        var authority = text[..<colon]
        var user: Substring?
        if let at = authority.lastIndex(of: "@") {
            user = authority[..<at]
            authority = authority[authority.index(after: at)...]
        }
        let (host, _) = try RepositoryURL.splitHostPort(authority)
        let path = try RepositoryURL.cleanNetworkPath(text[text.index(after: colon)...])
        self.init(transport: .ssh, host: host, port: nil, sshUser: user.map(String.init), path: path)
    }

    init(transport: Transport, host: String, port: Int?, sshUser: String?, path: String) {
        self.transport = transport
        self.host = host
        self.port = port
        self.sshUser = sshUser
        self.path = path
    }

    /// Whether the repository is on this machine (a path or `file://`).
    public var isLocal: Bool { transport == .file }

    /// The same repository under every spelling: `host[:port]/path` without `.git`, or `file://` + path for local ones.
    /// On forges whose repository names ignore case (GitHub, GitLab, Bitbucket, Azure DevOps) the path is
    /// lowercased, so `Acme/Shop` and `acme/shop` share one mirror; other hosts keep the case they were given.
    public var key: String {
        if isLocal { return "file://" + path }
        let (keyHost, keyPath) = forgeHostAndPath
        var authority = keyHost
        if let port, transport != .ssh { authority += ":\(port)" }
        let repositoryPath = RepositoryURL.strippingGitSuffix(keyPath)
        return authority + "/" + (forge == nil ? repositoryPath : repositoryPath.lowercased())
    }

    /// A directory name for the mirror: readable, filesystem-safe and collision-free (hash of the key).
    public var mirrorDirectoryName: String {
        let readable = String(key.replacingOccurrences(of: "file://", with: "local").map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "." || character == "-") ? character : "_"
        }.prefix(80))
        return readable + "-" + StableHash.hex(key) + ".git"
    }

    /// What libgit2 clones: the URL without credentials (those come from the credential callback).
    public var cloneURL: String {
        switch transport {
        case .file:
            return path
        case .ssh:
            let user = sshUser.map { $0 + "@" } ?? ""
            let portPart = port.map { ":\($0)" } ?? ""
            return "ssh://\(user)\(host)\(portPart)/\(path)"
        default:
            let portPart = port.map { ":\($0)" } ?? ""
            return "\(transport.rawValue)://\(host)\(portPart)/\(path)"
        }
    }

    /// The URL safe to show and store: no credentials.
    public var displayURL: String {
        isLocal ? "file://" + path : cloneURL
    }

    public var description: String { displayURL }

    /// The string allow-list patterns are matched against: `scheme://host[:port]/path` (no user), or `file:///abs/path`.
    public var allowListForm: String {
        if isLocal { return "file://" + path }
        let portPart = port.map { ":\($0)" } ?? ""
        return "\(transport.rawValue)://\(host)\(portPart)/\(path)"
    }

    /// Which web forge serves the repository, for permalinks.
    public var forge: Forge? {
        guard !isLocal else { return nil }
        switch forgeHostAndPath.host {
        case "github.com", "www.github.com": return .github
        case "gitlab.com", "www.gitlab.com": return .gitlab
        case "bitbucket.org", "www.bitbucket.org": return .bitbucket
        case "dev.azure.com": return .azureDevOps
        default: return nil
        }
    }

    /// `https://host/path` of the repository's web page, for known forges.
    public var webURL: String? {
        guard forge != nil else { return nil }
        let (webHost, webPath) = forgeHostAndPath
        return "https://\(webHost)/\(RepositoryURL.strippingGitSuffix(webPath))"
    }

    /// Azure DevOps' SSH form `ssh.dev.azure.com:v3/org/project/repo` is `dev.azure.com/org/project/_git/repo` on the web.
    private var forgeHostAndPath: (host: String, path: String) {
        if host == "ssh.dev.azure.com", path.hasPrefix("v3/") {
            let parts = path.dropFirst(3).split(separator: "/")
            if parts.count == 3 {
                return ("dev.azure.com", "\(parts[0])/\(parts[1])/_git/\(parts[2])")
            }
        }
        return (host, path)
    }

    private static func local(path raw: String) throws(RepositoryURLError) -> RepositoryURL {
        guard raw.hasPrefix("/") else { throw RepositoryURLError(reason: "a local repository path must be absolute") }
        let components = raw.split(separator: "/")
        guard !components.contains("..") else { throw RepositoryURLError(reason: "the path contains '..'") }
        let cleaned = "/" + components.filter { $0 != "." }.joined(separator: "/")
        return RepositoryURL(transport: .file, host: "", port: nil, sshUser: nil, path: cleaned)
    }

    private static func splitHostPort(_ authority: Substring) throws(RepositoryURLError) -> (String, Int?) {
        var host = authority
        var port: Int?
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) }
            host = host[...close]
        } else if let colon = host.lastIndex(of: ":") {
            guard let number = Int(host[host.index(after: colon)...]) else {
                throw RepositoryURLError(reason: "the port is not a number")
            }
            port = number
            host = host[..<colon]
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._[]:".contains($0)) }) else {
            throw RepositoryURLError(reason: "the host is empty or has invalid characters")
        }
        return (host.lowercased(), port)
    }

    private static func nonDefault(_ port: Int?, for transport: Transport) -> Int? {
        switch (transport, port) {
        case (.https, 443), (.http, 80), (.ssh, 22), (.git, 9418): return nil
        default: return port
        }
    }

    private static func cleanNetworkPath(_ raw: Substring) throws(RepositoryURLError) -> String {
        let components = raw.split(separator: "/")
        guard !components.contains("..") else { throw RepositoryURLError(reason: "the path contains '..'") }
        let cleaned = components.filter { $0 != "." }.joined(separator: "/")
        guard !cleaned.isEmpty, strippingGitSuffix(cleaned) != "" else { throw RepositoryURLError(reason: "the URL names no repository path") }
        return cleaned
    }

    static func strippingGitSuffix(_ path: String) -> String {
        path.hasSuffix(".git") ? String(path.dropLast(4)) : path
    }
}

/// The web forges Faultline links to.
public enum Forge: String, Sendable, Hashable, Codable {
    case github, gitlab, bitbucket, azureDevOps = "azure_devops"
}

/// Why a repository URL could not be used; never repeats the URL (it may hold credentials).
public struct RepositoryURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { "invalid repository URL: \(reason)" }
}
