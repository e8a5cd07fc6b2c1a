import Foundation

/// A commit's metadata, copied out of libgit2.
public struct GitCommitInfo: Sendable, Hashable, Codable {
    /// Full 40-character lowercase hex id.
    public var sha: String
    public var treeSHA: String
    public var parentSHAs: [String]
    public var authorName: String
    public var authorEmail: String
    public var authorTime: Date
    public var committerTime: Date
    /// The first paragraph of the message, on one line.
    public var summary: String

    public init(sha: String, treeSHA: String, parentSHAs: [String], authorName: String, authorEmail: String, authorTime: Date, committerTime: Date, summary: String) {
        self.sha = sha
        self.treeSHA = treeSHA
        self.parentSHAs = parentSHAs
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorTime = authorTime
        self.committerTime = committerTime
        self.summary = summary
    }
}

/// One hunk of a blame: the lines a commit last touched, copied out of libgit2.
public struct GitBlameHunk: Sendable, Hashable, Codable {
    public var commitSHA: String
    /// First line of the hunk in the blamed file at the blamed commit (1-based).
    public var startLine: Int
    public var lineCount: Int
    public var authorName: String
    public var authorEmail: String
    public var authorTime: Date
    public var summary: String
    /// The file's path in `commitSHA`, when it differs after a rename.
    public var originalPath: String?

    public init(commitSHA: String, startLine: Int, lineCount: Int, authorName: String, authorEmail: String, authorTime: Date, summary: String, originalPath: String?) {
        self.commitSHA = commitSHA
        self.startLine = startLine
        self.lineCount = lineCount
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorTime = authorTime
        self.summary = summary
        self.originalPath = originalPath
    }

    /// Whether the hunk covers `line`.
    public func contains(line: Int) -> Bool {
        line >= startLine && line < startLine + lineCount
    }
}

/// A file's content at a commit.
public struct GitBlob: Sendable, Hashable {
    public var sha: String
    public var bytes: [UInt8]
    /// libgit2's heuristic (`git_blob_is_binary`): NUL bytes or too many non-printables.
    public var isBinary: Bool

    public init(sha: String, bytes: [UInt8], isBinary: Bool) {
        self.sha = sha
        self.bytes = bytes
        self.isBinary = isBinary
    }

    /// The content decoded as UTF-8, invalid sequences replaced (never traps).
    public var text: String {
        String(decoding: bytes, as: UTF8.self)
    }
}
