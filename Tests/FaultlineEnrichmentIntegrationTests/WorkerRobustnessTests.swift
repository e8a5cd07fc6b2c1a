import Foundation
import Testing

/// Bad repositories reach the worker through real tracer traffic: each frame gets a status and a
/// reason, and the good service's issue is still enriched.
@Suite("Enrichment worker with bad repositories", .serialized)
struct WorkerRobustnessTests {
    @Test("outside the allow-list, unreachable, not git, missing commit: statuses and reasons; others still enrich")
    func badRepositories() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (repository, _, v2) = try await EndToEndEnrichmentTests.shopRepository(in: directory)
        let notGit = directory.appendingPathComponent("plain-directory")
        try FileManager.default.createDirectory(at: notGit, withIntermediateDirectories: true)
        try Data("not a repository\n".utf8).write(to: notGit.appendingPathComponent("README"))

        let server = try await ServerProcess.start(
            dataDirectory: directory.appendingPathComponent("data"), reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "file://\(directory.path)/*", "--allow-repo", "git://127.0.0.1:9/*"]
        )
        defer { Task { await server.stop() } }

        let cases: [(service: String, url: String, commit: String, status: String, reason: String)] = [
            ("outside", "https://git.example.org/acme/shop.git", v2, "repository_unavailable", "does not match the allow-list"),
            ("unreachable", "git://127.0.0.1:9/acme/shop.git", v2, "repository_unavailable", "git://127.0.0.1:9/acme/shop.git"),
            ("notgit", notGit.path, v2, "repository_unavailable", "not a git repository"),
            ("nocommit", repository.directory.path, "0123456789abcdef0123456789abcdef01234567", "commit_not_found", "0123456789abcdef0123456789abcdef01234567"),
            ("good", repository.directory.path, v2, "resolved", ""),
        ]
        for item in cases {
            try await ShopService.run(in: repository.directory, port: server.port, service: item.service, repositoryURL: item.url, commit: item.commit)
        }
        let ids = try await server.issueIDs()
        for item in cases {
            let id = try #require(ids[item.service], "no issue for \(item.service)")
            let frames = try await server.enrichedFrames(issue: id)
            let raising = try #require(frames.first { $0["function"] as? String == "parse_quantity" })
            let source = try #require(raising["source"] as? [String: Any])
            #expect(source["status"] as? String == item.status, "\(item.service): \(source["reason"] ?? "")")
            let reason = source["reason"] as? String ?? ""
            #expect(!reason.isEmpty, "\(item.service) has no reason")
            #expect(item.reason.isEmpty || reason.contains(item.reason), "\(item.service): \(reason)")
            if item.status != "resolved" {
                #expect((source["snippet"] as? [Any])?.isEmpty == true)
            }
        }

        // The failed mirrors are listed with their errors; the good one as mirrored.
        let repos = try #require(try await server.getJSON("/api/v1/repos") as? [String: Any])
        let states = try #require(repos["repositories"] as? [[String: Any]])
        let good = try #require(states.first { $0["repository_key"] as? String == "file://" + repository.directory.path })
        #expect(good["state"] as? String == "mirrored")
        let unreachable = try #require(states.first { ($0["repository_url"] as? String ?? "").contains("127.0.0.1:9") })
        #expect(unreachable["state"] as? String == "failed")
        #expect((unreachable["last_error"] as? String ?? "").isEmpty == false)
        await server.stop()
    }
}
