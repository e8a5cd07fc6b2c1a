import FaultlineTestSupport
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A chained error raised by a real runtime, with the three error tags its Datadog tracer would set.
///
/// The fixture programs print the tags on standard output in the tracer's own form: the type on the first
/// line, the message on the second, `error.stack` after them.
struct RuntimeChain {
    var errorType: String
    var errorMessage: String
    var errorStack: String

    init(output: String) throws {
        let lines = output.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3, !lines[0].isEmpty, !lines[2].isEmpty else {
            throw HarnessError("the program printed no error tags: \(output)")
        }
        errorType = String(lines[0])
        errorMessage = String(lines[1])
        errorStack = String(lines[2])
    }

    /// Runs a runtime on a program in the checkout and reads the error tags it prints.
    static func run(_ runtime: String, _ arguments: [String], in checkout: URL) async throws -> RuntimeChain {
        let result = try await Harness.run(Harness.which(runtime), arguments, in: checkout)
        guard result.status == 0 else { throw HarnessError("\(runtime) \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
        return try RuntimeChain(output: result.stdout)
    }

    /// One Datadog v0.4 payload (msgpack, as dd-trace-java, dd-trace-rb and dd-trace-php PUT it) holding the
    /// request's service entry span with the error tags and the git tags of the deployed commit.
    func payload(service: String, language: String, repositoryURL: String, commit: String) -> Data {
        let meta: [(String, String)] = [
            ("env", "test"), ("version", "3.1.0"), ("language", language), ("span.kind", "server"),
            ("error.type", errorType), ("error.message", errorMessage), ("error.stack", errorStack),
            ("_dd.git.commit.sha", commit), ("_dd.git.repository_url", repositoryURL),
        ]
        let span = MessagePack.map([
            (.string("trace_id"), .unsigned(7_300_000_001)), (.string("span_id"), .unsigned(7_300_000_002)),
            (.string("parent_id"), .unsigned(0)), (.string("service"), .string(service)),
            (.string("name"), .string("web.request")), (.string("resource"), .string("POST /\(service)")),
            (.string("type"), .string("web")), (.string("start"), .signed(1_790_000_000_000_000_000)),
            (.string("duration"), .signed(12_000_000)), (.string("error"), .signed(1)),
            (.string("meta"), .map(meta.map { (.string($0.0), .string($0.1)) })),
            (.string("metrics"), .map([(.string("_dd.top_level"), .double(1))])),
        ])
        return Data(MessagePack.array([.array([span])]).compactBytes)
    }
}

extension ServerProcess {
    /// Sends a Datadog v0.4 msgpack payload the way the tracers do.
    func putTraces(_ body: Data) async throws {
        guard let url = URL(string: baseURL + "/v0.4/traces") else { throw HarnessError("bad base URL \(baseURL)") }
        var request = URLRequest(url: url)
        request.httpMethod = "PUT"
        request.httpBody = body
        request.setValue("application/msgpack", forHTTPHeaderField: "Content-Type")
        request.setValue("1", forHTTPHeaderField: "X-Datadog-Trace-Count")
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw HarnessError("PUT /v0.4/traces answered \(status): \(String(decoding: data, as: UTF8.self))") }
    }

    /// The latest event's exceptions once every frame of every exception has a source; polls the API (bounded).
    func enrichedExceptions(issue id: Int, attempts: Int = 240) async throws -> [[String: Any]] {
        for _ in 0..<attempts {
            if let detail = try await getJSON("/api/v1/issues/\(id)") as? [String: Any],
               let event = detail["latestEvent"] as? [String: Any],
               let exceptions = event["exceptions"] as? [[String: Any]],
               exceptions.contains(where: { !(($0["frames"] as? [[String: Any]]) ?? []).isEmpty }),
               exceptions.allSatisfy({ (($0["frames"] as? [[String: Any]]) ?? []).allSatisfy { $0["source"] is [String: Any] } }) {
                return exceptions
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw HarnessError("issue \(id) was not enriched")
    }
}

/// Checks a chain's frames against the deployed commit, wherever frames appear (API, export, `issues show`).
struct ChainExpectations {
    let repository: GitRepositoryFixture
    let sha: String
    /// The repository path a frame's code lives at, or nil for a runtime or library frame.
    let repositoryPath: ([String: Any]) -> String?

    /// Every in-repository frame of every exception: resolved at the commit, the right path, the highlighted
    /// line the frame's line with the commit's text. Library frames show no code. Returns the frames checked
    /// per exception.
    @discardableResult
    func checkFrames(of exceptions: [[String: Any]], in place: String) async throws -> [Int] {
        var checked: [Int] = []
        for exception in exceptions {
            let name = "\(place): \(exception["type"] ?? "?")"
            var count = 0
            for frame in exception["frames"] as? [[String: Any]] ?? [] {
                let function = "\(name) \(frame["module"] ?? "-").\(frame["function"] ?? "?")"
                let source = frame["source"] as? [String: Any]
                guard let path = repositoryPath(frame) else {
                    #expect(source?["status"] as? String != "resolved", "\(function) is a library frame but shows code")
                    let snippet = source?["snippet"] as? [[String: Any]] ?? []
                    #expect(snippet.isEmpty, "\(function) is a library frame but has a snippet")
                    continue
                }
                #expect(frame["inApp"] as? Bool == true, "\(function) lies in the repository")
                let resolved = try #require(source, "\(function) has no source")
                #expect(resolved["status"] as? String == "resolved", "\(function): \(resolved["reason"] ?? "")")
                #expect(resolved["commitSHA"] as? String == sha, "\(function)")
                #expect(resolved["path"] as? String == path, "\(function)")
                let line = try #require(frame["line"] as? Int, "\(function) has no line")
                let file = try await repository.show(sha, path)
                try #require(line >= 1 && line <= file.count, "\(function): line \(line) is outside \(path)")
                let highlighted = (resolved["snippet"] as? [[String: Any]])?.filter { $0["highlight"] as? Bool == true } ?? []
                #expect(highlighted.count == 1, "\(function): one highlighted line")
                #expect(highlighted.first?["line"] as? Int == line, "\(function)")
                #expect(highlighted.first?["text"] as? String == file[line - 1], "\(function)")
                count += 1
            }
            checked.append(count)
        }
        return checked
    }

    /// `faultline issues show`: each exception headed by its relation, type and message, then each of its
    /// in-repository frames with `path @ sha` and its line marked with the commit's text; no code under a
    /// library frame.
    func checkShown(_ shown: String, exceptions: [[String: Any]]) async throws {
        let lines = shown.components(separatedBy: "\n")
        var cursor = 0
        for exception in exceptions {
            let frames = exception["frames"] as? [[String: Any]] ?? []
            let type = exception["type"] as? String
            guard !frames.isEmpty || type != nil else { continue }
            let relation = ["primary": "exception", "cause": "caused by", "context": "while handling", "suppressed": "suppressed"][exception["relation"] as? String ?? ""] ?? "?"
            let heading = "  \(relation) " + [type, exception["message"] as? String].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            let found = try #require(lines[cursor...].firstIndex(of: heading), "no heading \"\(heading)\" in:\n\(shown)")
            cursor = found + 1
            // Each frame's line, in order; what follows a frame up to the next one (or the next heading) is its code.
            var starts: [Int] = []
            for frame in frames {
                let location = [frame["file"] as? String, (frame["line"] as? Int).map(String.init)].compactMap { $0 }.joined(separator: ":")
                let name = [frame["module"] as? String, frame["function"] as? String].compactMap { $0 }.joined(separator: ".")
                let frameLine = "    \(frame["inApp"] as? Bool == true ? "*" : " ") \(name.isEmpty ? "?" : name)  \(location)"
                let start = try #require(lines[cursor...].firstIndex(of: frameLine), "no frame line \"\(frameLine)\" in:\n\(shown)")
                starts.append(start)
                cursor = start + 1
            }
            let sectionEnd = lines[cursor...].firstIndex { $0.hasPrefix("  ") && !$0.hasPrefix("   ") } ?? lines.count
            for (index, frame) in frames.enumerated() {
                let end = index + 1 < starts.count ? starts[index + 1] : sectionEnd
                let body = lines[(starts[index] + 1)..<end]
                guard let path = repositoryPath(frame) else {
                    #expect(!body.contains { $0.hasPrefix("      > ") }, "library frame at line \(starts[index]) shows code: \(body)")
                    continue
                }
                let line = try #require(frame["line"] as? Int)
                let text = try await repository.show(sha, path)[line - 1]
                #expect(body.contains { $0.hasPrefix("        \(path) @ \(sha.prefix(12))") }, "\(path):\(line): no path @ sha in \(body)")
                // `      > 12 | text`, the number right-aligned to the snippet's widest.
                let marked = body.filter { $0.hasPrefix("      > ") }.map { $0.dropFirst(8).drop { $0 == " " } }
                #expect(marked == ["\(line) | \(text)"], "\(path):\(line) not marked with \"\(text)\" in \(body)")
            }
            cursor = max(cursor, sectionEnd)
        }
    }
}

/// One runtime's chained error end to end: commit the program, run it, send its tags, and check the chain
/// everywhere frames appear.
enum RuntimeChainScenario {
    struct Outcome {
        var exceptions: [[String: Any]]
        var checked: [Int]
        var shown: String
        var expectations: ChainExpectations
    }

    static func run(
        fixture: String, service: String, language: String, message: String,
        program: (_ checkout: URL, _ scratch: URL) async throws -> RuntimeChain,
        repositoryPath: @escaping (_ checkout: URL, _ frame: [String: Any]) -> String?,
        verify: (Outcome) async throws -> Void
    ) async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = try await GitRepositoryFixture(at: directory.appendingPathComponent(service))
        let sha = try await repository.commit(fixture: fixture, message: message, date: "2026-10-02T09:00:00Z")
        let scratch = directory.appendingPathComponent("scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let chain = try await program(repository.directory, scratch)

        let data = directory.appendingPathComponent("data")
        let server = try await ServerProcess.start(
            dataDirectory: data, reposDirectory: directory.appendingPathComponent("repos"),
            arguments: ["--allow-repo", "file://\(directory.path)/*", "--context-lines", "2"]
        )
        do {
            try await server.putTraces(chain.payload(service: service, language: language, repositoryURL: repository.directory.path, commit: sha))
            let id = try #require(try await server.issueIDs()[service], "no issue for \(service)")
            let exceptions = try await server.enrichedExceptions(issue: id)
            let checkout = repository.directory
            let expectations = ChainExpectations(repository: repository, sha: sha) { repositoryPath(checkout, $0) }
            let checked = try await expectations.checkFrames(of: exceptions, in: "API")

            let shown = try await Harness.faultline(["issues", "show", String(id), "--data-dir", data.path])
            #expect(shown.status == 0, "\(shown.stderr)")
            try await expectations.checkShown(shown.stdout, exceptions: exceptions)

            let export = try await Harness.faultline(["export", "--format", "ndjson", "--data-dir", data.path])
            #expect(export.status == 0, "\(export.stderr)")
            let line = try #require(export.stdout.split(separator: "\n").first.map(String.init), "empty export")
            let exported = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let exportedExceptions = try #require((exported["latestEvent"] as? [String: Any])?["exceptions"] as? [[String: Any]])
            #expect(exportedExceptions.count == exceptions.count)
            let exportedChecked = try await expectations.checkFrames(of: exportedExceptions, in: "export")
            #expect(exportedChecked == checked, "the export checks the same frames as the API")
            try await verify(Outcome(exceptions: exceptions, checked: checked, shown: shown.stdout, expectations: expectations))
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }
}
