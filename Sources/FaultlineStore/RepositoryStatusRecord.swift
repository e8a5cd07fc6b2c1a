import Foundation

/// The last known state of one repository mirror, written by the enrichment worker.
public struct RepositoryStatusRecord: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case cloning, fetching, mirrored, failed
    }

    /// The canonical key (see ``RepositoryLink/repositoryKey``).
    public var repositoryKey: String
    /// The URL as shown to users, without credentials.
    public var repositoryURL: String
    public var state: State
    /// Why the last clone or fetch failed, without credentials.
    public var lastError: String?
    /// When the mirror last finished a clone or fetch.
    public var lastFetchAt: Date?
    public var updatedAt: Date
    /// When the worker next tries an enrichment that failed on this repository; nil when none waits.
    public var nextAttemptAt: Date?

    enum CodingKeys: String, CodingKey {
        case repositoryKey = "repository_key"
        case repositoryURL = "repository_url"
        case state
        case lastError = "last_error"
        case lastFetchAt = "last_fetch_at"
        case updatedAt = "updated_at"
        case nextAttemptAt = "next_attempt_at"
    }

    public init(
        repositoryKey: String, repositoryURL: String, state: State, lastError: String? = nil, lastFetchAt: Date? = nil,
        updatedAt: Date = Date(), nextAttemptAt: Date? = nil
    ) {
        self.nextAttemptAt = nextAttemptAt
        self.repositoryKey = repositoryKey
        self.repositoryURL = repositoryURL
        self.state = state
        self.lastError = lastError
        self.lastFetchAt = lastFetchAt
        self.updatedAt = updatedAt
    }
}
