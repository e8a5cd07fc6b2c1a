import Foundation
import Testing

/// A token configured for cloning, and one written into a linked URL, never reach the logs, the
/// store or an export.
@Suite("Credentials", .serialized)
struct CredentialTests {
    @Test("tokens never appear in the server log, the SQLite files, repos list or the export")
    func tokensStayOut() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (repository, _, v2) = try await EndToEndEnrichmentTests.shopRepository(in: directory)
        let configuredToken = "ghp_configuredTOKEN\(UUID().uuidString.prefix(8))"
        let urlToken = "glpat-inURLsecret\(UUID().uuidString.prefix(8))"
        let data = directory.appendingPathComponent("data")
        let server = try await ServerProcess.start(
            dataDirectory: data, reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "https://127.0.0.1:9/*"],
            environment: ["FAULTLINE_GIT_TOKEN": configuredToken]
        )
        defer { Task { await server.stop() } }

        let (created, body) = try await server.request("POST", "/api/v1/repos", json: [
            "service": "private", "url": "https://oauth2:\(urlToken)@127.0.0.1:9/acme/private.git", "ref": v2,
        ])
        #expect(created == 201, "\(String(decoding: body, as: UTF8.self))")
        #expect(!String(decoding: body, as: UTF8.self).contains(urlToken))

        try await ShopService.run(in: repository.directory, port: server.port, service: "private", repositoryURL: nil, commit: nil)
        let id = try #require(try await server.issueIDs()["private"])
        let frames = try await server.enrichedFrames(issue: id)
        let source = try #require(frames.first?["source"] as? [String: Any])
        #expect(source["status"] as? String == "repository_unavailable")
        #expect(source["repositoryURL"] as? String == "https://127.0.0.1:9/acme/private.git")

        let list = try await Harness.faultline(["repos", "list", "--json", "--data-dir", data.path])
        let export = try await Harness.faultline(["export", "--data-dir", data.path])
        let (apiStatus, apiExport) = try await server.request("GET", "/api/v1/export")
        #expect(apiStatus == 200)
        await server.stop()

        var haystacks: [(String, Data)] = [
            ("repos list", Data(list.stdout.utf8)), ("export", Data(export.stdout.utf8)), ("API export", apiExport),
            ("server log", try Data(contentsOf: server.logFile)),
        ]
        for name in try FileManager.default.contentsOfDirectory(atPath: data.path) {
            haystacks.append((name, try Data(contentsOf: data.appendingPathComponent(name))))
        }
        #expect(haystacks.count >= 5)
        #expect(export.stdout.contains("repository_unavailable"))
        for (name, bytes) in haystacks {
            for token in [configuredToken, urlToken] {
                #expect(bytes.range(of: Data(token.utf8)) == nil, "\(name) contains a token")
            }
        }
    }
}
