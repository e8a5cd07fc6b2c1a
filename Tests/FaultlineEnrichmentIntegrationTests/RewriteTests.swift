import Foundation
import Testing

/// An offline team serves its github.com repositories from its own mirror host: `repo-url-rewrite`
/// sends the transfer there while everything shown keeps the tagged URL.
@Suite("repo-url-rewrite end to end", .serialized)
struct RewriteTests {
    @Test("a github.com URL is served from a local mirror; permalinks keep github.com; errors name the rewritten URL")
    func githubURLServedFromLocalMirror() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let host = directory.appendingPathComponent("mirror-host/acme")
        try FileManager.default.createDirectory(at: host, withIntermediateDirectories: true)
        let repository = try await GitRepositoryFixture(at: host.appendingPathComponent("shop"))
        let sha = try await repository.commit(fixture: "shop-v2", message: "Checkout: describe carts", date: "2026-11-01T09:00:00Z")
        let server = try await ServerProcess.start(
            dataDirectory: directory.appendingPathComponent("data"), reposDirectory: directory.appendingPathComponent("repos"),
            // Only the default forges are allowed: the rewrite target needs no file:// pattern of its own.
            arguments: ["--repo-url-rewrite", "https://github.com/acme/=file://\(host.path)/"]
        )
        defer { Task { await server.stop() } }

        try await ShopService.run(in: repository.directory, port: server.port, service: "shop", repositoryURL: "https://github.com/Acme/shop.git", commit: sha)
        try await ShopService.run(in: repository.directory, port: server.port, service: "gone", repositoryURL: "https://github.com/acme/gone", commit: sha)

        let ids = try await server.issueIDs()
        let frames = try await server.enrichedFrames(issue: try #require(ids["shop"]))
        let raising = try #require(frames.first { $0["function"] as? String == "parse_quantity" })
        let source = try #require(raising["source"] as? [String: Any])
        #expect(source["status"] as? String == "resolved", "\(source["reason"] ?? "")")
        #expect(source["path"] as? String == "shop/checkout.py")
        let permalink = try #require(source["url"] as? String)
        #expect(permalink.hasPrefix("https://github.com/Acme/shop/blob/\(sha)/shop/checkout.py#L"), "\(permalink)")

        // A repository the mirror host lacks: the reason names where Faultline really looked.
        let gone = try await server.enrichedFrames(issue: try #require(ids["gone"]))
        let goneSource = try #require(gone.first { $0["function"] as? String == "parse_quantity" }?["source"] as? [String: Any])
        #expect(goneSource["status"] as? String == "repository_unavailable")
        let reason = goneSource["reason"] as? String ?? ""
        #expect(reason.contains("file://\(host.path)/gone") && reason.contains("rewritten from https://github.com/acme/gone"), "\(reason)")

        // The mirrors are listed under the tagged URLs.
        let list = try #require(try await server.getJSON("/api/v1/repos") as? [String: Any])
        let urls = (list["repositories"] as? [[String: Any]] ?? []).compactMap { $0["repositoryURL"] as? String }
        #expect(urls.contains("https://github.com/Acme/shop.git"), "\(urls)")
        await server.stop()
    }

    @Test("an insteadOf of the user's git configuration is named in the error, beside the tagged URL")
    func gitConfigurationInsteadOfIsNamed() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let home = directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let nowhere = directory.appendingPathComponent("nowhere").path
        try "[url \"file://\(nowhere)/\"]\n\tinsteadOf = https://git.acme.internal/\n".write(
            to: home.appendingPathComponent(".gitconfig"), atomically: true, encoding: .utf8)
        let repository = try await GitRepositoryFixture(at: directory.appendingPathComponent("api"))
        let sha = try await repository.commit(fixture: "shop-v2", message: "API", date: "2026-11-01T09:00:00Z")
        let server = try await ServerProcess.start(
            dataDirectory: directory.appendingPathComponent("data"), reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "https://git.acme.internal/*"], environment: ["HOME": home.path, "XDG_CONFIG_HOME": home.path]
        )
        defer { Task { await server.stop() } }
        try await ShopService.run(in: repository.directory, port: server.port, service: "api", repositoryURL: "https://git.acme.internal/acme/api.git", commit: sha)
        let frames = try await server.enrichedFrames(issue: try #require(try await server.issueIDs()["api"]))
        let source = try #require(frames.first { $0["function"] as? String == "parse_quantity" }?["source"] as? [String: Any])
        #expect(source["status"] as? String == "repository_unavailable")
        let reason = source["reason"] as? String ?? ""
        #expect(reason.contains("file://\(nowhere)/acme/api.git (rewritten from https://git.acme.internal/acme/api.git)"), "\(reason)")
        await server.stop()
    }

    @Test("a malformed rewrite stops serve with a message naming the setting")
    func badRewriteIsAConfigurationError() async throws {
        let result = try await Harness.faultline(["serve", "--repo-url-rewrite", "https://github.com/acme/", "--port", "0"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("repo-url-rewrite") && result.stderr.contains("PREFIX=REPLACEMENT"), "\(result.stderr)")
    }
}
