import Foundation
import Testing

/// A real ddtrace-instrumented Python service sends its error to a real `faultline serve`, whose
/// enrichment worker mirrors the local repository with libgit2 and attaches the code that ran.
@Suite("Enrichment end to end", .serialized)
struct EndToEndEnrichmentTests {
    /// Two commits: the second shifts every line of shop/checkout.py; the service runs the second.
    static func shopRepository(in directory: URL) async throws -> (repository: GitRepositoryFixture, v1: String, v2: String) {
        let repository = try await GitRepositoryFixture(at: directory.appendingPathComponent("shop"))
        let v1 = try await repository.commit(fixture: "shop-v1", message: "Checkout: parse quantities", date: "2026-10-01T09:00:00Z")
        let v2 = try await repository.commit(fixture: "shop-v2", message: "Checkout: describe carts", date: "2026-11-01T09:00:00Z")
        return (repository, v1, v2)
    }

    /// Checks a resolved frame's snippet against `git show SHA:PATH`.
    static func expectSnippetMatchesGit(_ frame: [String: Any], repository: GitRepositoryFixture, sha: String, contextLines: Int) async throws {
        let source = try #require(frame["source"] as? [String: Any])
        #expect(source["status"] as? String == "resolved", "frame \(frame["file"] ?? "?"): \(source["reason"] ?? "")")
        #expect(source["commitSHA"] as? String == sha)
        let path = try #require(source["path"] as? String)
        let line = try #require(frame["line"] as? Int)
        #expect(source["line"] as? Int == line)
        let file = try await repository.show(sha, path)
        let snippet = try #require(source["snippet"] as? [[String: Any]])
        let expectedLines = Array(max(1, line - contextLines)...min(file.count, line + contextLines))
        #expect(snippet.compactMap { $0["line"] as? Int } == expectedLines)
        #expect(snippet.compactMap { $0["text"] as? String } == expectedLines.map { file[$0 - 1] })
        #expect(snippet.filter { $0["highlight"] as? Bool == true }.compactMap { $0["line"] as? Int } == [line])
    }

    @Test("ddtrace error → issue whose frames show git show SHA:PATH at their lines, in the API and `issues show`")
    func pythonServiceEndToEnd() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (repository, v1, v2) = try await Self.shopRepository(in: directory)
        let data = directory.appendingPathComponent("data")
        let server = try await ServerProcess.start(
            dataDirectory: data, reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "file://\(directory.path)/*", "--context-lines", "3"]
        )
        defer { Task { await server.stop() } }

        try await ShopService.run(in: repository.directory, port: server.port, service: "shop", repositoryURL: repository.directory.path, commit: v2)

        let id = try #require(try await server.issueIDs()["shop"])
        let frames = try await server.enrichedFrames(issue: id)
        let inRepository = frames.filter { ($0["file"] as? String ?? "").hasPrefix(repository.directory.path + "/") }
        let functions = Set(inRepository.compactMap { $0["function"] as? String })
        #expect(functions.isSuperset(of: ["handle_request", "checkout", "parse_quantity"]), "\(frames.map { "\($0["function"] ?? "?") \($0["file"] ?? "?")" })")
        for frame in inRepository {
            try await Self.expectSnippetMatchesGit(frame, repository: repository, sha: v2, contextLines: 3)
        }
        // The raising line moved between the commits: the snippet is v2's, not v1's.
        let raising = try #require(inRepository.first { $0["function"] as? String == "parse_quantity" })
        let raisingLine = try #require(raising["line"] as? Int)
        #expect(try await repository.show(v2, "shop/checkout.py")[raisingLine - 1].contains("raise ValueError"))
        #expect(try await repository.show(v1, "shop/checkout.py").count < raisingLine)
        let source = try #require(raising["source"] as? [String: Any])
        #expect(source["path"] as? String == "shop/checkout.py")
        #expect(source["repositoryURL"] as? String == "file://" + repository.directory.path)
        // Blame: the line was last changed by the first commit (authored before the error).
        let suspect = try #require(source["suspectCommit"] as? [String: Any])
        #expect(suspect["sha"] as? String == v1)
        #expect(suspect["authorName"] as? String == "Ada Lovelace")

        // The real CLI prints every snippet line, the frame's line marked, no colours off a terminal.
        let shown = try await Harness.faultline(["issues", "show", String(id), "--data-dir", data.path])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(!shown.stdout.contains("\u{1B}["))
        for frame in inRepository {
            let source = try #require(frame["source"] as? [String: Any])
            for line in try #require(source["snippet"] as? [[String: Any]]) {
                let number = try #require(line["line"] as? Int)
                let text = try #require(line["text"] as? String)
                let marker = line["highlight"] as? Bool == true ? "> " : "  "
                #expect(shown.stdout.contains("\(marker)\(number) | \(text)") || shown.stdout.contains("\(marker) \(number) | \(text)"), "missing line \(number): \(text)\n\(shown.stdout)")
            }
        }
        let json = try await Harness.faultline(["issues", "show", String(id), "--json", "--data-dir", data.path])
        let detail = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let jsonFrames = try #require((detail["latestEvent"] as? [String: Any])?["frames"] as? [[String: Any]])
        #expect(jsonFrames.compactMap { ($0["source"] as? [String: Any])?["status"] as? String } == frames.compactMap { ($0["source"] as? [String: Any])?["status"] as? String })

        // The older release (v1, checked out elsewhere) raises the same error: same issue, new latest
        // event, re-enriched against v1's own lines.
        let olderCheckout = directory.appendingPathComponent("shop-v1-checkout")
        try await repository.git(["worktree", "add", "-q", "--detach", olderCheckout.path, v1])
        try await ShopService.run(in: olderCheckout, port: server.port, service: "shop", repositoryURL: repository.directory.path, commit: v1)
        #expect(try await server.issueIDs()["shop"] == id)
        var olderFrames: [[String: Any]] = []
        for _ in 0..<240 {
            let current = try await server.enrichedFrames(issue: id)
            if current.contains(where: { ($0["source"] as? [String: Any])?["commitSHA"] as? String == v1 }) {
                olderFrames = current
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let olderInRepository = olderFrames.filter { ($0["file"] as? String ?? "").hasPrefix(olderCheckout.path + "/") }
        #expect(Set(olderInRepository.compactMap { $0["function"] as? String }).isSuperset(of: ["handle_request", "checkout", "parse_quantity"]))
        for frame in olderInRepository {
            try await Self.expectSnippetMatchesGit(frame, repository: repository, sha: v1, contextLines: 3)
        }
        let olderRaising = try #require(olderInRepository.first { $0["function"] as? String == "parse_quantity" })
        #expect(olderRaising["line"] as? Int != raisingLine)

        // Sample events: the earlier event (v2) shows v2's code, the latest v1's, each read from the mirror.
        let page = try #require(try await server.getJSON("/api/v1/issues/\(id)/events?limit=10") as? [String: Any])
        let events = try #require(page["events"] as? [[String: Any]])
        #expect(events.count == 2)
        for (event, sha, checkout) in [(events[0], v1, olderCheckout), (events[1], v2, repository.directory)] {
            let exceptions = try #require(event["exceptions"] as? [[String: Any]])
            let sampleFrames = exceptions.flatMap { $0["frames"] as? [[String: Any]] ?? [] }
            let sampleInRepository = sampleFrames.filter { ($0["file"] as? String ?? "").hasPrefix(checkout.path + "/") }
            #expect(sampleInRepository.count >= 3)
            for frame in sampleInRepository {
                try await Self.expectSnippetMatchesGit(frame, repository: repository, sha: sha, contextLines: 3)
            }
            #expect(event["frames"] as? [[String: Any]] != nil)
        }

        // Export carries the same sources.
        let export = try await Harness.faultline(["export", "--format", "ndjson", "--data-dir", data.path])
        #expect(export.status == 0)
        #expect(export.stdout.contains(#""status":"resolved""#))
        await server.stop()
    }
}
