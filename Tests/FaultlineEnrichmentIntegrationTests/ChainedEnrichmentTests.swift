import Foundation
import Testing

/// A chained Python error (`raise ChargeFailed(...) from GatewayError`) sent by real ddtrace: every
/// in-app frame of every exception of the chain shows the deployed commit's code, in the API, the
/// export and `faultline issues show` — the cause first of all, since that is usually where the bug is.
@Suite("Chained exceptions end to end", .serialized)
struct ChainedEnrichmentTests {
    @Test("every frame of every exception of a chain has the code of the deployed commit")
    func chainIsEnrichedEverywhere() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = try await GitRepositoryFixture(at: directory.appendingPathComponent("billing"))
        let sha = try await repository.commit(fixture: "billing", message: "Billing: charge through the gateway", date: "2026-10-01T09:00:00Z")
        let data = directory.appendingPathComponent("data")
        let server = try await ServerProcess.start(
            dataDirectory: data, reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "file://\(directory.path)/*", "--context-lines", "2"]
        )
        defer { Task { await server.stop() } }
        try await ShopService.run(in: repository.directory, port: server.port, service: "billing", repositoryURL: repository.directory.path, commit: sha)

        let id = try #require(try await server.issueIDs()["billing"])
        _ = try await server.enrichedFrames(issue: id)
        let detail = try #require(try await server.getJSON("/api/v1/issues/\(id)") as? [String: Any])
        let event = try #require(detail["latestEvent"] as? [String: Any])
        let exceptions = try #require(event["exceptions"] as? [[String: Any]])
        #expect(exceptions.compactMap { $0["type"] as? String } == ["billing.charge.ChargeFailed", "billing.gateway.GatewayError"])
        let cause = try #require(exceptions.first { ($0["type"] as? String ?? "").hasSuffix("GatewayError") })
        #expect(cause["relation"] as? String == "cause")

        // Every in-repository frame of every exception: the right path, line and line text at the commit.
        var checked = 0
        for exception in exceptions {
            let frames = try #require(exception["frames"] as? [[String: Any]])
            for frame in frames where (frame["file"] as? String ?? "").hasPrefix(repository.directory.path + "/") {
                let source = try #require(frame["source"] as? [String: Any], "\(exception["type"] ?? "?") \(frame["function"] ?? "?") has no source")
                #expect(source["status"] as? String == "resolved", "\(frame["function"] ?? "?"): \(source["reason"] ?? "")")
                #expect(source["commitSHA"] as? String == sha)
                let path = try #require(source["path"] as? String)
                #expect((frame["file"] as? String ?? "").hasSuffix("/" + path))
                let line = try #require(frame["line"] as? Int)
                let file = try await repository.show(sha, path)
                let highlighted = try #require((source["snippet"] as? [[String: Any]])?.first { $0["highlight"] as? Bool == true })
                #expect(highlighted["line"] as? Int == line)
                #expect(highlighted["text"] as? String == file[line - 1])
                #expect((frame["context"] as? String).map { file[line - 1].contains($0) } ?? true, "the printed line is the commit's")
                checked += 1
            }
        }
        let causeFunctions = Set((cause["frames"] as? [[String: Any]] ?? []).compactMap { $0["function"] as? String })
        #expect(causeFunctions.isSuperset(of: ["charge_order", "authorize"]))
        #expect(checked >= 4, "frames of both exceptions were checked")
        // Library frames (ddtrace's, the standard library's) show no code.
        for exception in exceptions {
            for frame in exception["frames"] as? [[String: Any]] ?? [] where (frame["file"] as? String ?? "").contains("site-packages") {
                #expect((frame["source"] as? [String: Any])?["status"] as? String != "resolved")
            }
        }

        // `issues show`: each exception headed by its relation, the cause's raising line marked.
        let shown = try await Harness.faultline(["issues", "show", String(id), "--data-dir", data.path])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("caused by billing.gateway.GatewayError: gateway declined 1999 cents"), "\(shown.stdout)")
        let raise = try await repository.show(sha, "billing/gateway.py").firstIndex { $0.contains("raise GatewayError") }
        let raiseLine = try #require(raise) + 1
        #expect(shown.stdout.contains("> \(raiseLine) |") || shown.stdout.contains("> \(raiseLine) | "), "\(shown.stdout)")

        // The export carries the cause's sources too.
        let export = try await Harness.faultline(["export", "--format", "ndjson", "--data-dir", data.path])
        let exported = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.split(separator: "\n").first.map(String.init)?.utf8 ?? "".utf8)) as? [String: Any])
        let exportedExceptions = ((exported["latestEvent"] as? [String: Any])?["exceptions"] as? [[String: Any]]) ?? []
        let exportedCause = try #require(exportedExceptions.first { ($0["type"] as? String ?? "").hasSuffix("GatewayError") })
        #expect((exportedCause["frames"] as? [[String: Any]] ?? []).contains { ($0["source"] as? [String: Any])?["status"] as? String == "resolved" })
        await server.stop()
    }
}
