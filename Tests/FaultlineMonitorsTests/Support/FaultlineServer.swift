import FaultlineTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct MonitorTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Paths and helpers of the monitors suite.
enum MonitorHarness {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: String { packageRoot.appendingPathComponent(".build/debug/faultline").path }

    static func fixture(_ path: String) -> URL { packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(path) }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-monitors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `Tests/Fixtures/monitors/errors.py` with ddtrace: `count` failing requests of `service`,
    /// each raising `Failure<first + i>` (distinct issues) or, with `sameError`, one error type.
    static func tracerErrors(port: Int, service: String, version: String = "1.0.0", count: Int, first: Int = 0, sameError: Bool = false) async throws {
        let environment = [
            "DD_TRACE_AGENT_URL": "http://127.0.0.1:\(port)",
            "DD_SERVICE": service,
            "DD_ENV": "test",
            "DD_VERSION": version,
            "DD_REMOTE_CONFIGURATION_ENABLED": "false",
            "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false",
            "DD_TRACE_GIT_METADATA_ENABLED": "false",
            "PYTHONDONTWRITEBYTECODE": "1",
        ]
        let script = fixture("monitors/errors.py").path
        let result = try await ChildProcess.run(ChildProcess.python, [script, String(count), String(first), sameError ? "same" : "distinct"], environment: environment)
        guard result.status == 0 else { throw MonitorTestError("errors.py failed: \(result.stderr)") }
    }

    /// Polls `condition` every 50 ms until it holds (bounded); throws with `what` otherwise.
    static func eventually(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw MonitorTestError("timed out waiting for \(what)")
    }
}

/// `faultline serve` as a child process on a free loopback port; the test stops or kills it.
final class FaultlineProcess: @unchecked Sendable {
    // @unchecked Sendable: `process` is only touched by the owning test, one call at a time.
    let process: Process
    let port: Int
    let logFile: URL

    private init(process: Process, port: Int, logFile: URL) {
        self.process = process
        self.port = port
        self.logFile = logFile
    }

    /// Monitors' settings for tests: loopback receivers allowed, short retries and threshold checks.
    static let testEnvironment = [
        "FAULTLINE_ALLOW_NOTIFY": "http://127.0.0.1:*",
        "FAULTLINE_NOTIFY_RETRY_SCHEDULE": "0.2s,0.2s,0.2s,0.2s,0.2s",
        "FAULTLINE_NOTIFY_TIMEOUT": "15s",
        "FAULTLINE_NOTIFY_THRESHOLD_INTERVAL": "0.5s",
        "FAULTLINE_PUBLIC_URL": "https://faultline.example.com",
        "FAULTLINE_ENRICHMENT": "false",
        "FAULTLINE_NOTIFY_ENRICHMENT_WAIT": "1s",
    ]

    static func start(dataDirectory: URL, arguments: [String] = [], environment: [String: String] = [:]) async throws -> FaultlineProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MonitorHarness.binary)
        process.arguments = ["serve", "--port", "0", "--otlp-port", "off", "--data-dir", dataDirectory.path,
                             "--repos-dir", dataDirectory.appendingPathComponent("repos").path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["FAULTLINE_LOG_LEVEL"] = "info"
        env.merge(testEnvironment) { _, new in new }
        env.merge(environment) { _, new in new }
        process.environment = env
        let logFile = dataDirectory.deletingLastPathComponent().appendingPathComponent("server-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else { throw MonitorTestError("cannot create \(logFile.path)") }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let port = await ChildProcess.listeningPort(output.fileHandleForReading)
        guard let port else {
            process.waitUntilExit()
            throw MonitorTestError("faultline serve exited before listening (status \(process.terminationStatus)): \((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")")
        }
        return FaultlineProcess(process: process, port: port, logFile: logFile)
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let process = self.process
        await ChildProcess.offPool { process.waitUntilExit() }
    }

    /// SIGKILL: no chance to finish or record anything.
    func kill() async {
        guard process.isRunning else { return }
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
        let process = self.process
        await ChildProcess.offPool { process.waitUntilExit() }
    }

    func request(_ method: String, _ path: String, json: Any? = nil, body: Data? = nil, contentType: String? = nil) async throws -> (Int, Data) {
        guard let url = URL(string: "http://127.0.0.1:\(port)" + path) else { throw MonitorTestError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// A request expected to answer `status`, its body as a JSON object.
    func json(_ method: String, _ path: String, _ body: Any? = nil, expect status: Int = 200) async throws -> [String: Any] {
        let (code, data) = try await request(method, path, json: body)
        guard code == status else { throw MonitorTestError("\(method) \(path) answered \(code), expected \(status): \(String(decoding: data, as: UTF8.self))") }
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }

    /// Creates a monitor through the API; returns its id.
    func createMonitor(_ body: [String: Any]) async throws -> Int {
        let created = try await json("POST", "/api/v1/monitors", body, expect: 201)
        guard let monitor = created["monitor"] as? [String: Any], let id = monitor["id"] as? Int else { throw MonitorTestError("no monitor id in \(created)") }
        return id
    }

    func deliveries(_ monitorID: Int) async throws -> [[String: Any]] {
        try await json("GET", "/api/v1/monitors/\(monitorID)/deliveries?limit=1000")["deliveries"] as? [[String: Any]] ?? []
    }

    func monitor(_ id: Int) async throws -> [String: Any] {
        try await json("GET", "/api/v1/monitors/\(id)")["monitor"] as? [String: Any] ?? [:]
    }

    /// Sends a recorded tracer payload (`Tests/Fixtures/intake/<name>` with its `.request.json`) as the tracer did.
    func replay(_ name: String) async throws {
        let payload = try Data(contentsOf: MonitorHarness.fixture("intake/\(name)"))
        let requestFile = MonitorHarness.fixture("intake/\(name.replacingOccurrences(of: ".msgpack", with: ".request.json"))")
        let recorded = (try JSONSerialization.jsonObject(with: Data(contentsOf: requestFile))) as? [String: Any] ?? [:]
        let headers = recorded["headers"] as? [String: String] ?? [:]
        let (status, data) = try await request(recorded["method"] as? String ?? "PUT", recorded["path"] as? String ?? "/v0.4/traces", body: payload, contentType: headers["content-type"])
        guard status == 200 else { throw MonitorTestError("replay \(name) answered \(status): \(String(decoding: data, as: UTF8.self))") }
    }

    func issues() async throws -> [[String: Any]] {
        try await json("GET", "/api/v1/issues?limit=1000")["issues"] as? [[String: Any]] ?? []
    }
}
