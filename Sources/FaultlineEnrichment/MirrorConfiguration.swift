import FaultlineCore
import FaultlineGit
import FaultlineStore
import Foundation

/// Where mirrors live and how they may be fetched.
public struct MirrorConfiguration: Sendable {
    /// The `repos/` directory: one bare mirror per repository, plus its `.index` directory.
    public var directory: URL
    public var allowList: RepositoryAllowList
    /// A clone or fetch taking longer than this fails (and is cancelled at its next progress report).
    public var timeout: Duration
    /// A clone or fetch receiving more than this many bytes fails.
    public var maxBytes: Int?
    public var credentials: GitCredentialSource
    /// After a failed clone, fetch or missing commit, wait this long before trying that repository again.
    public var retryAfter: Duration
    /// libgit2 global settings applied before the first transfer.
    public var tuning: GitTuning
    /// Where tagged URLs are really fetched from (`repo-url-rewrite`); identity and display keep the tagged URL.
    public var rewrites: RepositoryURLRewrites

    public init(directory: URL, allowList: RepositoryAllowList = .default, rewrites: RepositoryURLRewrites = RepositoryURLRewrites(), timeout: Duration = .seconds(300), maxBytes: Int? = 4 << 30, credentials: GitCredentialSource = GitCredentialSource(), retryAfter: Duration = .seconds(60), tuning: GitTuning = .mirror) {
        self.directory = directory
        self.allowList = allowList
        self.rewrites = rewrites
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.credentials = credentials
        self.retryAfter = retryAfter
        self.tuning = tuning
    }
}

/// A repository mirror known to hold a commit.
public struct MirroredCommit: Sendable, Hashable {
    public var repository: RepositoryURL
    /// The bare mirror's directory.
    public var mirrorPath: String
    /// Full 40-digit SHA.
    public var commitSHA: String
}

/// The state of one mirror, for `repos list` and the API.
public struct MirrorStatus: Sendable, Hashable, Codable {
    /// Cloning, fetching, mirrored or failed: the state the store records for the mirror.
    public typealias State = RepositoryStatusRecord.State

    /// Display URL, without credentials.
    public var repositoryURL: String
    public var key: String
    public var state: State
    /// Why it failed, when it did.
    public var reason: String?
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case repositoryURL
        case key
        case state
        case reason
        case updatedAt
    }
}

/// Why a mirror could not provide a commit; descriptions never carry credentials.
public struct MirrorError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case notAllowed = "not_allowed"
        case unavailable
        case commitNotFound = "commit_not_found"
    }

    public var kind: Kind
    public var reason: String

    public var description: String { reason }

    /// The status of frames that could not be read for this reason.
    public var frameStatus: FrameSourceStatus {
        switch kind {
        case .commitNotFound: return .commitNotFound
        case .notAllowed: return .notAllowed
        case .unavailable: return .repositoryUnavailable
        }
    }
}
