import Foundation

/// The Git repository and commit an event's code came from.
public struct GitLink: Sendable, Hashable, Codable {
    /// Repository URL without credentials (see ``RepositoryURL/displayURL``); empty when the tracer sent none
    /// that could be parsed.
    public var repositoryURL: String
    /// Full or abbreviated commit SHA; nil when only the repository is known.
    public var commitSHA: String?

    public init(repositoryURL: String, commitSHA: String? = nil) {
        self.repositoryURL = repositoryURL
        self.commitSHA = commitSHA
    }

    /// The link of a tracer's Git tags: the URL parsed and stripped of credentials by ``RepositoryURL`` (the
    /// same rule as every other place that takes a repository URL), the SHA trimmed. A URL that is not a
    /// repository's is dropped, never stored as sent (it may carry a token); the commit is kept, so a
    /// manual link can still supply the repository. nil when neither is usable.
    public static func tagged(repositoryURL: String?, commitSHA: String?) -> GitLink? {
        let url = repositoryURL.flatMap { try? RepositoryURL($0) }?.displayURL ?? ""
        let sha = commitSHA?.trimmingCharacters(in: .whitespacesAndNewlines)
        let commit = (sha?.isEmpty ?? true) ? nil : sha
        guard !url.isEmpty || commit != nil else { return nil }
        return GitLink(repositoryURL: url, commitSHA: commit)
    }
}
