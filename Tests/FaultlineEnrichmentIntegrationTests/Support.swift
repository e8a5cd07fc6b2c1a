import FaultlineTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Paths, processes and HTTP for tests that run the real `faultline` binary, git and ddtrace.
enum Harness {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The debug binary `swift build --build-tests` leaves beside the test bundle.
    static var binary: String { packageRoot.appendingPathComponent(".build/debug/faultline").path }

    static func fixture(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures/enrichment").appendingPathComponent(name)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-enrich-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    typealias Result = ChildProcess.Result

    /// Runs a program to completion without blocking the cooperative pool.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) async throws -> Result {
        try await ChildProcess.run(executable, arguments, environment: environment, currentDirectory: directory)
    }

    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await ChildProcess.offPool(work)
    }

    static func which(_ name: String) -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/\(name)"
    }

    static func faultline(_ arguments: [String]) async throws -> Result {
        try await run(binary, arguments)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A git repository built with the git CLI, with a fixed author and date per commit.
struct GitRepositoryFixture {
    let directory: URL

    init(at directory: URL) async throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await git(["init", "-q", "-b", "main"])
    }

    @discardableResult
    func git(_ arguments: [String], date: String = "2026-11-01T10:00:00Z") async throws -> String {
        let result = try await Harness.run(Harness.which("git"), ["-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com", "-c", "commit.gpgsign=false"] + arguments, environment: [
            "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_NOSYSTEM": "1", "HOME": directory.path,
        ], in: directory)
        guard result.status == 0 else { throw HarnessError("git \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
        return result.stdout
    }

    /// Replaces the working tree's files with a fixture directory's and commits them; returns the SHA.
    func commit(fixture: String, message: String, date: String) async throws -> String {
        let source = Harness.fixture(fixture)
        let files = FileManager.default.enumerator(at: source, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let relative = String(file.standardizedFileURL.path.dropFirst(source.standardizedFileURL.path.count + 1))
            let target = directory.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: file, to: target)
        }
        try await git(["add", "-A", "."])
        try await git(["commit", "-q", "-m", message], date: date)
        return try await git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `git show SHA:PATH`, as lines.
    func show(_ sha: String, _ path: String) async throws -> [String] {
        let text = try await git(["show", "\(sha):\(path)"])
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// `faultline serve` as a child process on a free loopback port, its log written to a file.
final class ServerProcess: @unchecked Sendable {
    // @unchecked Sendable: `process` is only touched by the owning test, one call at a time.
    let process: Process
    let port: Int
    let logFile: URL

    private init(process: Process, port: Int, logFile: URL) {
        self.process = process
        self.port = port
        self.logFile = logFile
    }

    static func start(dataDirectory: URL, reposDirectory: URL, arguments: [String] = [], environment: [String: String] = [:]) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Harness.binary)
        process.arguments = ["serve", "--port", "0", "--otlp-port", "off", "--data-dir", dataDirectory.path, "--repos-dir", reposDirectory.path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["FAULTLINE_LOG_LEVEL"] = "debug"
        env.merge(environment) { _, new in new }
        process.environment = env
        let logFile = dataDirectory.deletingLastPathComponent().appendingPathComponent("server-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else { throw HarnessError("cannot create \(logFile.path)") }
        let log = try FileHandle(forWritingTo: logFile)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let port = await ChildProcess.listeningPort(output.fileHandleForReading)
        guard let port else {
            process.waitUntilExit()
            throw HarnessError("faultline serve exited before listening (status \(process.terminationStatus)): \((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")")
        }
        return ServerProcess(process: process, port: port, logFile: logFile)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let process = self.process
        await Harness.offPool { process.waitUntilExit() }
    }

    func request(_ method: String, _ path: String, json: [String: Any]? = nil) async throws -> (Int, Data) {
        guard let url = URL(string: baseURL + path) else { throw HarnessError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func getJSON(_ path: String) async throws -> Any {
        let (status, data) = try await request("GET", path)
        guard status == 200 else { throw HarnessError("GET \(path) answered \(status): \(String(decoding: data, as: UTF8.self))") }
        return try JSONSerialization.jsonObject(with: data)
    }

    /// The ids of issues by service.
    func issueIDs() async throws -> [String: Int] {
        guard let page = try await getJSON("/api/v1/issues?limit=100") as? [String: Any], let issues = page["issues"] as? [[String: Any]] else {
            throw HarnessError("issue page is not an object with issues")
        }
        var ids: [String: Int] = [:]
        for issue in issues {
            if let service = issue["service"] as? String, let id = issue["id"] as? Int { ids[service] = id }
        }
        return ids
    }

    /// The latest event's frames of an issue once every frame has a source; polls the API (bounded).
    func enrichedFrames(issue id: Int, attempts: Int = 240) async throws -> [[String: Any]] {
        for _ in 0..<attempts {
            if let detail = try await getJSON("/api/v1/issues/\(id)") as? [String: Any],
               let event = detail["latestEvent"] as? [String: Any],
               let frames = event["frames"] as? [[String: Any]],
               !frames.isEmpty, frames.allSatisfy({ $0["source"] is [String: Any] }) {
                return frames
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw HarnessError("issue \(id) was not enriched")
    }
}

/// The instrumented Python service: `app.py` in a repository checkout, run with ddtrace.
enum ShopService {
    static func run(in checkout: URL, port: Int, service: String, repositoryURL: String?, commit: String?, version: String = "2.0.0") async throws {
        var environment = [
            "DD_TRACE_AGENT_URL": "http://127.0.0.1:\(port)",
            "DD_SERVICE": service,
            "DD_ENV": "test",
            "DD_VERSION": version,
            "DD_REMOTE_CONFIGURATION_ENABLED": "false",
            "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false",
            "PYTHONDONTWRITEBYTECODE": "1",
        ]
        if let repositoryURL { environment["DD_GIT_REPOSITORY_URL"] = repositoryURL }
        if let commit { environment["DD_GIT_COMMIT_SHA"] = commit }
        if repositoryURL == nil && commit == nil { environment["DD_TRACE_GIT_METADATA_ENABLED"] = "false" }
        let result = try await Harness.run(Harness.which("python3"), [checkout.appendingPathComponent("app.py").path], environment: environment, in: checkout)
        guard result.status == 0 else { throw HarnessError("app.py failed: \(result.stderr)") }
    }
}
