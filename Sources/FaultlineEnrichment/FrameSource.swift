import Foundation

/// Why a frame does or does not show code.
public enum FrameSourceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case resolved
    case notInRepository = "not_in_repository"
    case ambiguous
    case repositoryUnavailable = "repository_unavailable"
    case commitNotFound = "commit_not_found"
    case lineOutOfRange = "line_out_of_range"
    case binaryFile = "binary_file"
    /// The runtime printed the frame's line of code, and the commit's line differs: the code that ran is
    /// not this commit's (a dependency at another version, a dirty deploy, a wrong mapping).
    case sourceMismatch = "source_mismatch"
    /// The repository does not match the allow-list: only a change of configuration helps, so never retried.
    case notAllowed = "not_allowed"
    /// The event (and its link) names no commit: Faultline never guesses one, so never retried.
    case noCommit = "no_commit"
}

/// The commit that last changed a line (blame), proposed as the change that introduced the error.
public struct SuspectCommit: Sendable, Hashable, Codable {
    public var sha: String
    public var authorName: String
    public var authorEmail: String
    public var authoredAt: Date
    public var summary: String
    /// The frame's file and line this commit last touched.
    public var path: String
    public var line: Int

    enum CodingKeys: String, CodingKey {
        case sha
        case authorName
        case authorEmail
        case authoredAt
        case summary
        case path
        case line
    }

    public init(sha: String, authorName: String, authorEmail: String, authoredAt: Date, summary: String, path: String, line: Int) {
        self.sha = sha
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authoredAt = authoredAt
        self.summary = summary
        self.path = path
        self.line = line
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sha = try container.decode(String.self, forKey: .sha)
        authorName = try container.decode(String.self, forKey: .authorName)
        authorEmail = try container.decode(String.self, forKey: .authorEmail)
        let stamp = try container.decode(String.self, forKey: .authoredAt)
        guard let date = ISO8601DateFormatter().date(from: stamp) else {
            throw DecodingError.dataCorruptedError(forKey: .authoredAt, in: container, debugDescription: "authoredAt is not an ISO 8601 date")
        }
        authoredAt = date
        summary = try container.decode(String.self, forKey: .summary)
        path = try container.decode(String.self, forKey: .path)
        line = try container.decode(Int.self, forKey: .line)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sha, forKey: .sha)
        try container.encode(authorName, forKey: .authorName)
        try container.encode(authorEmail, forKey: .authorEmail)
        // ISO 8601 whatever the encoder's date strategy: this is the API's shape.
        try container.encode(ISO8601DateFormatter().string(from: authoredAt), forKey: .authoredAt)
        try container.encode(summary, forKey: .summary)
        try container.encode(path, forKey: .path)
        try container.encode(line, forKey: .line)
    }
}

/// A frame's source: where it is, the code around its line, or one line saying why not.
public struct FrameSource: Sendable, Hashable, Codable {
    /// The repository's URL without credentials.
    public var repositoryURL: String?
    public var commitSHA: String?
    /// Repository-relative path, when resolved (or the candidates' common suffix otherwise).
    public var path: String?
    public var line: Int?
    public var status: FrameSourceStatus
    /// One human line: how the path was found, or why the code cannot be shown.
    public var reason: String
    /// Permalink to the line at the commit (GitHub, GitLab, Bitbucket, Azure DevOps).
    public var url: String?
    public var snippet: [SnippetLine]
    /// Blame of the frame's line at the commit, when computed.
    public var suspectCommit: SuspectCommit?

    enum CodingKeys: String, CodingKey {
        case repositoryURL
        case commitSHA
        case path
        case line
        case status
        case reason
        case url
        case snippet
        case suspectCommit
    }

    /// Encodes absent values as `null`, so every frame has the same keys in the API.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(repositoryURL, forKey: .repositoryURL)
        try container.encode(commitSHA, forKey: .commitSHA)
        try container.encode(path, forKey: .path)
        try container.encode(line, forKey: .line)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
        try container.encode(url, forKey: .url)
        try container.encode(snippet, forKey: .snippet)
        try container.encode(suspectCommit, forKey: .suspectCommit)
    }

    public init(repositoryURL: String? = nil, commitSHA: String? = nil, path: String? = nil, line: Int? = nil, status: FrameSourceStatus, reason: String, url: String? = nil, snippet: [SnippetLine] = [], suspectCommit: SuspectCommit? = nil) {
        self.repositoryURL = repositoryURL
        self.commitSHA = commitSHA
        self.path = path
        self.line = line
        self.status = status
        self.reason = reason
        self.url = url
        self.snippet = snippet
        self.suspectCommit = suspectCommit
    }
}
