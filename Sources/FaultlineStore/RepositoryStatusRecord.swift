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
        case repositoryKey
        case repositoryURL
        case state
        case lastError
        case lastFetchAt
        case updatedAt
        case nextAttemptAt
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
