import FaultlineStore
import Foundation
import Testing

/// The store's repository links and mirror states, on a temporary SQLite file.
@Suite("Repository links and mirror states in the store")
struct RepositoryStoreTests {
    static func store() throws -> (IssueStore, URL) {
        let directory = try Harness.temporaryDirectory()
        return (try IssueStore(configuration: StoreConfiguration(dataDirectory: directory)), directory)
    }

    @Test("a version's own link wins over the service-wide one; relinking replaces; unlink removes one")
    func linkPrecedence() async throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let wide = RepositoryLink(service: "api", repositoryKey: "github.com/acme/api", repositoryURL: "https://github.com/acme/api")
        let pinned = RepositoryLink(
            service: "api", version: "2.0", repositoryKey: "github.com/acme/api-v2", repositoryURL: "https://github.com/acme/api-v2",
            ref: "abc1234", mappings: [.init(stackRoot: "/srv/api", sourceRoot: "src")]
        )
        try await store.linkRepository(wide)
        try await store.linkRepository(pinned)
        #expect(try await store.repositoryLink(service: "api", version: "2.0")?.repositoryKey == "github.com/acme/api-v2")
        #expect(try await store.repositoryLink(service: "api", version: "2.0")?.mappings == [.init(stackRoot: "/srv/api", sourceRoot: "src")])
        #expect(try await store.repositoryLink(service: "api", version: "3.0")?.repositoryKey == "github.com/acme/api")
        #expect(try await store.repositoryLink(service: "api", version: nil)?.repositoryKey == "github.com/acme/api")
        #expect(try await store.repositoryLink(service: "web", version: nil) == nil)

        var moved = wide
        moved.repositoryKey = "gitlab.com/acme/api"
        moved.repositoryURL = "https://gitlab.com/acme/api"
        try await store.linkRepository(moved)
        #expect(try await store.repositoryLinks().map(\.repositoryKey) == ["gitlab.com/acme/api", "github.com/acme/api-v2"])

        #expect(try await store.unlinkRepository(service: "api", version: "2.0"))
        #expect(try await store.unlinkRepository(service: "api", version: "2.0") == false)
        #expect(try await store.repositoryLink(service: "api", version: "2.0")?.repositoryKey == "gitlab.com/acme/api")
    }

    @Test("a mirror's state is upserted and keeps its last fetch time through a failure")
    func mirrorStates() async throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fetched = Date(timeIntervalSince1970: 1_790_000_000)
        try await store.recordRepositoryStatus(RepositoryStatusRecord(repositoryKey: "k", repositoryURL: "https://github.com/acme/api", state: .mirrored, lastFetchAt: fetched, updatedAt: fetched))
        try await store.recordRepositoryStatus(RepositoryStatusRecord(
            repositoryKey: "k", repositoryURL: "https://github.com/acme/api", state: .failed, lastError: "fetch timed out", updatedAt: fetched.addingTimeInterval(60)
        ))
        let states = try await store.repositoryStatuses()
        #expect(states.count == 1)
        #expect(states.first?.state == .failed)
        #expect(states.first?.lastError == "fetch timed out")
        #expect(states.first?.lastFetchAt == fetched)
    }
}
