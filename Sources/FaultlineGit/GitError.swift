internal import CLibgit2

/// A libgit2 call that failed, with where it happened and libgit2's message (never credentials).
public struct GitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, so callers can pick a status without parsing messages.
    public enum Kind: String, Sendable, Hashable {
        case notFound
        case ambiguous
        case invalidArgument
        case authentication
        case certificate
        case network
        case corrupt
        case binary
        case sizeLimitExceeded
        case timedOut
        case cancelled
        case notARepository
        case other
    }

    public var kind: Kind
    /// The operation that failed (`clone`, `fetch`, `commit lookup`, `tree walk`, `blob read`, `blame`…).
    public var operation: String
    /// Repository URL or path, credentials stripped.
    public var repository: String?
    public var commit: String?
    public var path: String?
    /// libgit2's message (or ours), with any URL credentials removed.
    public var message: String
    /// The libgit2 return code, 0 when the error did not come from libgit2.
    public var code: Int32

    public init(kind: Kind, operation: String, repository: String? = nil, commit: String? = nil, path: String? = nil, message: String, code: Int32 = 0) {
        self.kind = kind
        self.operation = operation
        self.repository = repository.map(GitError.redactCredentials)
        self.commit = commit
        self.path = path
        self.message = GitError.redactCredentials(message)
        self.code = code
    }

    public var description: String {
        var parts = ["git \(operation) failed"]
        if let repository { parts.append("repository \(repository)") }
        if let commit { parts.append("commit \(commit)") }
        if let path { parts.append("path \(path)") }
        return parts.joined(separator: ", ") + ": " + message
    }

    /// Builds the error for a negative libgit2 return code, reading `git_error_last` at once.
    static func fromLibgit2(_ code: Int32, operation: String, repository: String? = nil, commit: String? = nil, path: String? = nil) -> GitError {
        var message = "libgit2 error \(code)"
        var errorClass: Int32 = 0
        if let last = git_error_last() {
            errorClass = last.pointee.klass
            if let text = last.pointee.message {
                message = String(cString: text)
            }
        }
        return GitError(kind: kind(code: code, errorClass: errorClass), operation: operation, repository: repository, commit: commit, path: path, message: message, code: code)
    }

    private static func kind(code: Int32, errorClass: Int32) -> Kind {
        switch code {
        case GIT_ENOTFOUND.rawValue: return errorClass == Int32(GIT_ERROR_REPOSITORY.rawValue) ? .notARepository : .notFound
        case GIT_EAMBIGUOUS.rawValue: return .ambiguous
        case GIT_EAUTH.rawValue: return .authentication
        case GIT_ECERTIFICATE.rawValue: return .certificate
        case GIT_EINVALIDSPEC.rawValue, GIT_EINVALID.rawValue: return .invalidArgument
        case GIT_EUSER.rawValue: return .cancelled
        default: break
        }
        switch errorClass {
        case Int32(GIT_ERROR_NET.rawValue), Int32(GIT_ERROR_SSL.rawValue), Int32(GIT_ERROR_SSH.rawValue), Int32(GIT_ERROR_HTTP.rawValue):
            return .network
        case Int32(GIT_ERROR_ZLIB.rawValue), Int32(GIT_ERROR_ODB.rawValue), Int32(GIT_ERROR_INDEXER.rawValue), Int32(GIT_ERROR_OBJECT.rawValue):
            return .corrupt
        case Int32(GIT_ERROR_REPOSITORY.rawValue):
            return .notARepository
        default:
            return .other
        }
    }

    /// Removes `user:password@` from anything that looks like a URL, so messages never carry secrets.
    public static func redactCredentials(_ text: String) -> String {
        guard text.contains("@"), text.contains("://") else { return text }
        var result = ""
        var rest = Substring(text)
        while let schemeRange = rest.range(of: "://") {
            result += rest[..<schemeRange.upperBound]
            let afterScheme = rest[schemeRange.upperBound...]
            let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == " " || $0 == "'" || $0 == "\"" }) ?? afterScheme.endIndex
            let authority = afterScheme[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                result += authority[authority.index(after: at)...]
            } else {
                result += authority
            }
            rest = afterScheme[authorityEnd...]
        }
        return result + rest
    }
}
