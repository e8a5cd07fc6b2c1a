/// The repository and commit a service version was built from.
public struct GitLink: Sendable, Hashable, Codable {
    /// Repository URL as the tracer sent it (credentials stripped before storing).
    public var repositoryURL: String
    /// Full or abbreviated commit SHA; nil when only the repository is known.
    public var commitSHA: String?

    public init(repositoryURL: String, commitSHA: String? = nil) {
        self.repositoryURL = repositoryURL
        self.commitSHA = commitSHA
    }
}
