import Foundation
import Testing

/// An enrichment that failed because the repository was not there (down, token wrong, not pushed yet)
/// heals by itself once it is: retried on a timer with backoff, no command needed.
@Suite("Enrichment heals by itself", .serialized)
struct HealingTests {
    @Test("a repository that is unreachable first and then comes back is used without any command")
    func unreachableThenBack() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The repository exists somewhere else first; the service names the path it will be served from.
        let (repository, _, v2) = try await EndToEndEnrichmentTests.shopRepository(in: directory.appendingPathComponent("staging"))
        let served = directory.appendingPathComponent("git/shop")
        let server = try await ServerProcess.start(
            dataDirectory: directory.appendingPathComponent("data"), reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "file://\(directory.path)/*"],
            environment: ["FAULTLINE_ENRICHMENT_RETRY_INITIAL": "0.5s", "FAULTLINE_ENRICHMENT_RETRY_MAX": "1s"]
        )
        defer { Task { await server.stop() } }
        try await ShopService.run(in: repository.directory, port: server.port, service: "shop", repositoryURL: served.path, commit: v2)
        let id = try #require(try await server.issueIDs()["shop"])

        let failed = try await server.enrichedFrames(issue: id)
        let status = (failed.first?["source"] as? [String: Any])?["status"] as? String
        #expect(status == "repository_unavailable")
        // The API says when the next attempt is and why the last one failed.
        let repos = try #require(try await server.getJSON("/api/v1/repos") as? [String: Any])
        let mirror = try #require((repos["repositories"] as? [[String: Any]])?.first)
        #expect(mirror["state"] as? String == "failed")
        #expect(!(mirror["lastError"] as? String ?? "").isEmpty)
        #expect(mirror["nextAttemptAt"] != nil, "\(mirror)")

        // The repository comes back where the service said it is.
        try FileManager.default.createDirectory(at: served.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: repository.directory, to: served)

        var healed: [[String: Any]] = []
        for _ in 0..<120 {
            let frames = try await server.enrichedFrames(issue: id)
            if let raising = frames.first(where: { $0["function"] as? String == "parse_quantity" }),
               (raising["source"] as? [String: Any])?["status"] as? String == "resolved" {
                healed = frames
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let raising = try #require(healed.first { $0["function"] as? String == "parse_quantity" }, "never healed")
        let source = try #require(raising["source"] as? [String: Any])
        #expect(source["commitSHA"] as? String == v2)
        #expect(source["path"] as? String == "shop/checkout.py")
        await server.stop()
    }

    @Test("repos sync retries a failed mirror at once, without waiting for its backoff")
    func syncRetriesAtOnce() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (repository, _, v2) = try await EndToEndEnrichmentTests.shopRepository(in: directory.appendingPathComponent("staging"))
        let served = directory.appendingPathComponent("git/shop")
        let data = directory.appendingPathComponent("data")
        // A backoff of an hour: only the sync can bring the code within this test.
        let server = try await ServerProcess.start(
            dataDirectory: data, reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "file://\(directory.path)/*"],
            environment: ["FAULTLINE_ENRICHMENT_RETRY_INITIAL": "1h"]
        )
        defer { Task { await server.stop() } }
        try await ShopService.run(in: repository.directory, port: server.port, service: "shop", repositoryURL: served.path, commit: v2)
        let id = try #require(try await server.issueIDs()["shop"])
        let failed = try await server.enrichedFrames(issue: id)
        #expect((failed.first?["source"] as? [String: Any])?["status"] as? String == "repository_unavailable")

        try FileManager.default.createDirectory(at: served.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: repository.directory, to: served)
        let sync = try await Harness.faultline(["repos", "sync", "--data-dir", data.path])
        #expect(sync.status == 0, "\(sync.stderr)")

        var resolved = false
        for _ in 0..<80 {
            let frames = try await server.enrichedFrames(issue: id)
            if let raising = frames.first(where: { $0["function"] as? String == "parse_quantity" }),
               (raising["source"] as? [String: Any])?["status"] as? String == "resolved" {
                resolved = true
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(resolved, "the sync did not retry the failed mirror at once")
        await server.stop()
    }
}
