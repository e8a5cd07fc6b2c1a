import FaultlineTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `faultline serve` run as a child process on a free loopback port; the test stops it (or kills it).
final class ServerProcess: @unchecked Sendable {
    // @unchecked Sendable: `process` is only touched by the owning test, one call at a time.
    let process: Process
    let port: Int

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts the server and waits for its "listening" line (the binary prints the bound port).
    static func start(dataDirectory: URL, extraArguments: [String] = []) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIEnvironment.binary)
        process.arguments = ["serve", "--port", "0", "--otlp-port", "off", "--data-dir", dataDirectory.path] + extraArguments
        var environment = ProcessInfo.processInfo.environment
        environment["FAULTLINE_LOG_LEVEL"] = "warning"
        // Exports taken moments apart must match; the enrichment worker is tested in its own suite.
        environment["FAULTLINE_ENRICHMENT"] = "false"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let port = await ChildProcess.listeningPort(output.fileHandleForReading)
        guard let port else {
            process.terminate()
            process.waitUntilExit()
            throw ServerProcessError("faultline serve exited before listening (status \(process.terminationStatus))")
        }
        return ServerProcess(process: process, port: port)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// SIGTERM and wait: a graceful stop.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        await waitForExit()
    }

    /// SIGKILL and wait: the process gets no chance to flush anything.
    func kill() async {
        guard process.isRunning else { return }
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
        await waitForExit()
    }

    private func waitForExit() async {
        let process = self.process
        await ChildProcess.offPool { process.waitUntilExit() }
    }

    /// One HTTP request; returns status and body.
    func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> (Int, Data) {
        guard let url = URL(string: baseURL + path) else { throw ServerProcessError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}

struct ServerProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
