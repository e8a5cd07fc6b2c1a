import FaultlineCore
import FaultlineEnrichment
import FaultlineStore
import Foundation

/// `POST /api/v1/repos` body, and what `faultline repos link` builds from its arguments.
public struct RepositoryLinkRequest: Codable, Sendable, Hashable {
    public var service: String
    public var url: String
    public var version: String?
    public var ref: String?
    public var mappings: [PathMapping]?

    public init(service: String, url: String, version: String? = nil, ref: String? = nil, mappings: [PathMapping] = []) {
        self.service = service
        self.url = url
        self.version = version
        self.ref = ref
        self.mappings = mappings
    }

    /// The link to store: the URL normalised, credentials dropped, and allowed by `allowList` —
    /// the one check `repos link` and `POST /api/v1/repos` share.
    public func link(allowedBy allowList: RepositoryAllowList) throws(RepositoryLinkError) -> RepositoryLink {
        let (link, repository) = try resolved()
        guard allowList.allows(repository) else { throw RepositoryLinkError(allowList.refusal(repository)) }
        return link
    }

    /// The link to store and the repository URL it was parsed from (parsed once, for the allow list).
    public func resolved() throws(RepositoryLinkError) -> (link: RepositoryLink, repository: RepositoryURL) {
        let service = service.trimmingCharacters(in: .whitespaces)
        guard !service.isEmpty else { throw RepositoryLinkError("service is empty") }
        let repository: RepositoryURL
        do {
            repository = try RepositoryURL(url)
        } catch {
            throw RepositoryLinkError(error.description)
        }
        let version = version?.trimmingCharacters(in: .whitespaces)
        let ref = ref?.trimmingCharacters(in: .whitespaces)
        for mapping in mappings ?? [] {
            try Self.validate(mapping)
        }
        let link = RepositoryLink(
            service: service,
            version: (version?.isEmpty ?? true) ? nil : version,
            repositoryKey: repository.key,
            repositoryURL: repository.displayURL,
            ref: (ref?.isEmpty ?? true) ? nil : ref,
            mappings: mappings ?? []
        )
        return (link, repository)
    }

    /// The longest stack or source root accepted, in bytes.
    public static let maxMappingRootBytes = 1_024

    /// A mapping's stack root is where code ran (absolute is normal) and its source root a directory inside
    /// the repository: neither may climb with `..`, and the source root may not be absolute.
    static func validate(_ mapping: PathMapping) throws(RepositoryLinkError) {
        guard !mapping.stackRoot.isEmpty else { throw RepositoryLinkError("a path mapping's stackRoot is empty") }
        for (name, root) in [("stackRoot", mapping.stackRoot), ("sourceRoot", mapping.sourceRoot)] {
            guard root.utf8.count <= maxMappingRootBytes else {
                throw RepositoryLinkError("a path mapping's \(name) is longer than \(maxMappingRootBytes) bytes")
            }
            guard !root.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
                throw RepositoryLinkError("a path mapping's \(name) contains a control character")
            }
            let components = root.split(whereSeparator: { $0 == "/" || $0 == "\\" })
            guard !components.contains("..") else {
                throw RepositoryLinkError("a path mapping's \(name) '\(root)' contains '..'")
            }
        }
        let source = mapping.sourceRoot
        let isDriveAbsolute = source.count >= 2 && source.dropFirst().first == ":" && source.first?.isLetter == true
        guard !source.hasPrefix("/"), !source.hasPrefix("\\"), !source.hasPrefix("~"), !isDriveAbsolute else {
            throw RepositoryLinkError("a path mapping's sourceRoot '\(source)' must be a directory relative to the repository root")
        }
    }
}

/// A repository link request that cannot be stored (no service, a URL that is not a repository's,
/// an empty path mapping). The HTTP layer answers it 400; the CLI prints it.
public struct RepositoryLinkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, without credentials.
    public var reason: String

    /// An error with a reason.
    public init(_ reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}

/// `GET /api/v1/repos`: manual links, the commits their branches and tags were pinned to per version,
/// and the state of every mirror.
public struct RepositoryListResponse: Codable, Sendable, Hashable {
    public var links: [RepositoryLink]
    public var pins: [VersionPin]
    public var repositories: [RepositoryStatusRecord]

    public init(links: [RepositoryLink], pins: [VersionPin] = [], repositories: [RepositoryStatusRecord]) {
        self.links = links
        self.pins = pins
        self.repositories = repositories
    }

    /// Everything the store holds about repositories.
    public static func read(from store: IssueStore) async throws -> RepositoryListResponse {
        RepositoryListResponse(links: try await store.repositoryLinks(), pins: try await store.versionPins(), repositories: try await store.repositoryStatuses())
    }
}

/// `POST /api/v1/repos/sync`: how many enrichments will be redone.
public struct RepositorySyncResponse: Codable, Sendable, Hashable {
    public var invalidated: Int

    public init(invalidated: Int) {
        self.invalidated = invalidated
    }
}
