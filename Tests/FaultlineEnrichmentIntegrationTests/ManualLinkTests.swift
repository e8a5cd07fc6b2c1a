import Foundation
import Testing

/// Services whose tracers send no Git tags are linked by hand, through the CLI or the API.
@Suite("Manual repository links", .serialized)
struct ManualLinkTests {
    @Test("`repos link` with --ref and --map enriches a service that sends no git tags; list and unlink")
    func linkThroughCLI() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (repository, _, v2) = try await EndToEndEnrichmentTests.shopRepository(in: directory)
        let data = directory.appendingPathComponent("data")
        let server = try await ServerProcess.start(
            dataDirectory: data, reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "file://\(directory.path)/*"]
        )
        defer { Task { await server.stop() } }

        try await ShopService.run(in: repository.directory, port: server.port, service: "untagged", repositoryURL: nil, commit: nil)
        let id = try #require(try await server.issueIDs()["untagged"])
        // Without a link the worker says why there is no code.
        let before = try await server.enrichedFrames(issue: id)
        let unlinked = try #require(before.first?["source"] as? [String: Any])
        #expect(unlinked["status"] as? String == "repository_unavailable")
        #expect((unlinked["reason"] as? String ?? "").contains("no repository is linked"))

        // `repos link` checks the allow-list the way the server does: a local path needs a file:// pattern.
        let refused = try await Harness.faultline(["repos", "link", "untagged", repository.directory.path, "--data-dir", data.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("is not allowed"), "\(refused.stderr)")
        let link = try await Harness.faultline([
            "repos", "link", "untagged", repository.directory.path, "--ref", v2,
            "--map", "\(repository.directory.path)/shop=shop", "--data-dir", data.path,
            "--allow-repo", "file://\(directory.path)/*",
        ])
        #expect(link.status == 0, "\(link.stderr)")
        #expect(link.stdout.contains("file://\(repository.directory.path)"))

        var resolved: [String: Any]?
        for _ in 0..<240 {
            let frames = try await server.enrichedFrames(issue: id)
            if let source = frames.first(where: { $0["function"] as? String == "parse_quantity" })?["source"] as? [String: Any],
               source["status"] as? String == "resolved" {
                resolved = source
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let source = try #require(resolved, "the linked service was not re-enriched")
        #expect(source["commitSHA"] as? String == v2)
        #expect(source["path"] as? String == "shop/checkout.py")
        #expect((source["reason"] as? String ?? "").contains("mapped"), "\(source["reason"] ?? "")")

        let list = try await Harness.faultline(["repos", "list", "--data-dir", data.path])
        #expect(list.stdout.contains("untagged  →  file://\(repository.directory.path)  ref \(v2)  map \(repository.directory.path)/shop=shop"), "\(list.stdout)")
        #expect(list.stdout.contains("mirrored"))

        let unlink = try await Harness.faultline(["repos", "unlink", "untagged", "--data-dir", data.path])
        #expect(unlink.status == 0)
        let again = try await Harness.faultline(["repos", "unlink", "untagged", "--data-dir", data.path])
        #expect(again.status != 0)
        #expect(again.stderr.contains("no link for service untagged"))
        let badMap = try await Harness.faultline([
            "repos", "link", "x", repository.directory.path, "--map", "nomapping", "--data-dir", data.path, "--allow-repo", "file://\(directory.path)/*",
        ])
        #expect(badMap.status != 0)
        await server.stop()
    }

    @Test("POST, GET and DELETE /api/v1/repos; URLs outside the allow-list and bad bodies are 400")
    func linkThroughAPI() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (repository, _, v2) = try await EndToEndEnrichmentTests.shopRepository(in: directory)
        let server = try await ServerProcess.start(
            dataDirectory: directory.appendingPathComponent("data"), reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "file://\(directory.path)/*", "--no-default-allow-repo"]
        )
        defer { Task { await server.stop() } }

        let (created, body) = try await server.request("POST", "/api/v1/repos", json: [
            "service": "billing", "url": repository.directory.path + "/.git", "version": "2.0.0", "ref": v2,
            "mappings": [["stackRoot": "/srv/billing", "sourceRoot": ""]],
        ])
        #expect(created == 201, "\(String(decoding: body, as: UTF8.self))")
        let link = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(link["service"] as? String == "billing")
        #expect(link["version"] as? String == "2.0.0")
        #expect(link["ref"] as? String == v2)

        let (refused, refusal) = try await server.request("POST", "/api/v1/repos", json: ["service": "billing", "url": "https://github.com/acme/billing"])
        #expect(refused == 400)
        #expect(String(decoding: refusal, as: UTF8.self).contains("allow-list"))
        let (garbled, _) = try await server.request("POST", "/api/v1/repos", json: ["service": "billing"])
        #expect(garbled == 400)
        let (badURL, _) = try await server.request("POST", "/api/v1/repos", json: ["service": "billing", "url": "ftp://x/y"])
        #expect(badURL == 400)

        let list = try #require(try await server.getJSON("/api/v1/repos") as? [String: Any])
        let links = try #require(list["links"] as? [[String: Any]])
        #expect(links.count == 1)
        #expect(links.first?["repositoryKey"] as? String == "file://" + repository.directory.path + "/.git" || links.first?["repositoryKey"] as? String == "file://" + repository.directory.path)

        let (wrongVersion, _) = try await server.request("DELETE", "/api/v1/repos?service=billing")
        #expect(wrongVersion == 404)
        let (deleted, _) = try await server.request("DELETE", "/api/v1/repos?service=billing&version=2.0.0")
        #expect(deleted == 204)
        let empty = try #require(try await server.getJSON("/api/v1/repos") as? [String: Any])
        #expect((empty["links"] as? [Any])?.isEmpty == true)
        let (sync, syncBody) = try await server.request("POST", "/api/v1/repos/sync")
        #expect(sync == 202, "\(String(decoding: syncBody, as: UTF8.self))")
        await server.stop()
    }

    @Test("a link by branch pins each version to the commit the branch named when that version was first seen")
    func branchRefIsPinnedPerVersion() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = try await GitRepositoryFixture(at: directory.appendingPathComponent("shop"))
        let v1 = try await repository.commit(fixture: "shop-v1", message: "Checkout: parse quantities", date: "2026-10-01T09:00:00Z")
        let deployedV1 = directory.appendingPathComponent("deploy-1.0.0")
        try await repository.git(["worktree", "add", "-q", "--detach", deployedV1.path, v1])
        let data = directory.appendingPathComponent("data")
        let server = try await ServerProcess.start(
            dataDirectory: data, reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "file://\(directory.path)/*", "--no-default-allow-repo"]
        )
        defer { Task { await server.stop() } }
        let (status, body) = try await server.request("POST", "/api/v1/repos", json: [
            "service": "branchy", "url": repository.directory.path, "ref": "main",
            "mappings": [["stackRoot": deployedV1.path, "sourceRoot": ""], ["stackRoot": repository.directory.path, "sourceRoot": ""]],
        ])
        #expect(status == 201, "\(String(decoding: body, as: UTF8.self))")

        /// The commit the latest event's in-app frames were read at, once an event other than `previous` is enriched.
        func enrichedCommit(issue id: Int, after previous: Int?) async throws -> (event: Int, commit: String?) {
            for _ in 0..<240 {
                if let detail = try await server.getJSON("/api/v1/issues/\(id)") as? [String: Any],
                   let event = detail["latestEvent"] as? [String: Any], let eventID = event["id"] as? Int, eventID != previous,
                   let frames = event["frames"] as? [[String: Any]],
                   let raising = frames.first(where: { $0["function"] as? String == "parse_quantity" }),
                   let source = raising["source"] as? [String: Any] {
                    #expect(source["status"] as? String == "resolved", "\(source["reason"] ?? "")")
                    return (eventID, source["commitSHA"] as? String)
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            throw HarnessError("issue \(id) was not enriched")
        }

        // 1.0.0 is first seen while main is v1: pinned to v1.
        try await ShopService.run(in: deployedV1, port: server.port, service: "branchy", repositoryURL: nil, commit: nil, version: "1.0.0")
        let id = try #require(try await server.issueIDs()["branchy"])
        let first = try await enrichedCommit(issue: id, after: nil)
        #expect(first.commit == v1)

        // main moves on; 1.0.0 keeps its commit, 2.0.0 (deployed from the new main) gets the new one.
        let v2 = try await repository.commit(fixture: "shop-v2", message: "Checkout: describe carts", date: "2026-11-01T09:00:00Z")
        try await ShopService.run(in: deployedV1, port: server.port, service: "branchy", repositoryURL: nil, commit: nil, version: "1.0.0")
        let again = try await enrichedCommit(issue: id, after: first.event)
        #expect(again.commit == v1, "1.0.0 was re-resolved to the branch's new commit")
        try await ShopService.run(in: repository.directory, port: server.port, service: "branchy", repositoryURL: nil, commit: nil, version: "2.0.0")
        let second = try await enrichedCommit(issue: id, after: again.event)
        #expect(second.commit == v2)

        // The pins, with the ref they came from, in the API and `repos list`.
        let list = try #require(try await server.getJSON("/api/v1/repos") as? [String: Any])
        let pins = (list["pins"] as? [[String: Any]] ?? []).map { "\($0["version"] as? String ?? "-") \($0["ref"] as? String ?? "-") \($0["commitSHA"] as? String ?? "-")" }
        #expect(pins == ["1.0.0 main \(v1)", "2.0.0 main \(v2)"])
        let shown = try await Harness.faultline(["repos", "list", "--data-dir", data.path])
        #expect(shown.stdout.contains("branchy@1.0.0  main → \(v1)") && shown.stdout.contains("branchy@2.0.0  main → \(v2)"), "\(shown.stdout)")
        await server.stop()
    }
}
