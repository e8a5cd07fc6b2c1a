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
            ("outside", "https://git.example.org/acme/shop.git", v2, "not_allowed", "does not match the allow-list"),
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
        let good = try #require(states.first { $0["repositoryKey"] as? String == "file://" + repository.directory.path })
        #expect(good["state"] as? String == "mirrored")
        let unreachable = try #require(states.first { ($0["repositoryURL"] as? String ?? "").contains("127.0.0.1:9") })
        #expect(unreachable["state"] as? String == "failed")
        #expect((unreachable["lastError"] as? String ?? "").isEmpty == false)
        await server.stop()
    }
}

/// A TCP server that accepts connections and never answers: a git remote that hangs.
final class SilentServer: @unchecked Sendable {
    // @unchecked Sendable: `process` is only touched by the owning test, one call at a time.
    let process: Process
    let port: Int

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    static func start() async throws -> SilentServer {
        let script = """
            import socket
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            s.listen(16)
            print(s.getsockname()[1], flush=True)
            held = []
            while True:
                held.append(s.accept()[0])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Harness.which("python3"))
        process.arguments = ["-c", script]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = output.fileHandleForReading
        let line: String = await Harness.offPool {
            var buffer = Data()
            while !buffer.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
            }
            return String(decoding: buffer, as: UTF8.self)
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw HarnessError("silent server did not print its port")
        }
        return SilentServer(process: process, port: port)
    }

    /// SIGKILL: a child started by Foundation's Process may not act on SIGTERM.
    func stop() async {
        guard process.isRunning else { return }
        _ = kill(process.processIdentifier, SIGKILL)
        let process = self.process
        await Harness.offPool { process.waitUntilExit() }
    }
}

extension WorkerRobustnessTests {
    @Test("a repository whose server never answers holds up neither intake, reads, other repositories nor shutdown")
    func silentRepositoryBlocksNothing() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (repository, _, v2) = try await EndToEndEnrichmentTests.shopRepository(in: directory)
        let silent = try await SilentServer.start()
        defer { Task { await silent.stop() } }
        let server = try await ServerProcess.start(
            dataDirectory: directory.appendingPathComponent("data"), reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "file://\(directory.path)/*", "--allow-repo", "git://127.0.0.1:\(silent.port)/*"]
        )
        defer { Task { await server.stop() } }

        try await ShopService.run(in: repository.directory, port: server.port, service: "hanging", repositoryURL: "git://127.0.0.1:\(silent.port)/acme/shop.git", commit: v2)
        try await ShopService.run(in: repository.directory, port: server.port, service: "good", repositoryURL: repository.directory.path, commit: v2)
        let ids = try await server.issueIDs()
        let good = try #require(ids["good"])
        let hanging = try #require(ids["hanging"])
        let frames = try await server.enrichedFrames(issue: good)
        let raising = try #require(frames.first { $0["function"] as? String == "parse_quantity" })
        #expect((raising["source"] as? [String: Any])?["status"] as? String == "resolved")

        // The hanging issue reads fine, its frames not enriched yet (the clone is still waiting).
        let detail = try #require(try await server.getJSON("/api/v1/issues/\(hanging)") as? [String: Any])
        let hangingFrames = try #require((detail["latestEvent"] as? [String: Any])?["frames"] as? [[String: Any]])
        #expect(!hangingFrames.isEmpty)
        #expect(hangingFrames.allSatisfy { $0["source"] is NSNull })
        let repos = try #require(try await server.getJSON("/api/v1/repos") as? [String: Any])
        let states = try #require(repos["repositories"] as? [[String: Any]])
        #expect(states.contains { $0["state"] as? String == "mirrored" })

        await server.stop()
        #expect(!server.process.isRunning)
        await silent.stop()
    }
}
