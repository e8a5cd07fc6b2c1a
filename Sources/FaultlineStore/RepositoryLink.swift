import FaultlineCore
import Foundation

/// A manual link: a service (optionally one version) is built from a repository, for tracers that send no Git tags.
public struct RepositoryLink: Sendable, Hashable, Codable {
    public var id: Int64
    public var service: String
    /// nil: every version of the service.
    public var version: String?
    /// The canonical form two spellings of one repository share (the mirror's key).
    public var repositoryKey: String
    /// The URL as shown to users, without credentials.
    public var repositoryURL: String
    /// Commit SHA to read when events name no commit.
    public var ref: String?
    public var mappings: [PathMapping]
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, service, version
        case repositoryKey
        case repositoryURL
        case ref, mappings
        case createdAt
    }

    public init(id: Int64 = 0, service: String, version: String? = nil, repositoryKey: String, repositoryURL: String, ref: String? = nil, mappings: [PathMapping] = [], createdAt: Date = Date()) {
        self.id = id
        self.service = service
        self.version = version
        self.repositoryKey = repositoryKey
        self.repositoryURL = repositoryURL
        self.ref = ref
        self.mappings = mappings
        self.createdAt = createdAt
    }
}
