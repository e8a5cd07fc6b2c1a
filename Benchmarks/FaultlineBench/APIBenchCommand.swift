import ArgumentParser
import FaultlineCore
import FaultlineServer
import FaultlineTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `scripts/bench api`: latency of the issue-detail endpoint with many issues stored, and peak RSS
/// while the intake is under load.
struct APIBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "p50/p99 of GET /api/v1/issues/{id} with N issues stored; peak RSS under ingest load."
    )

    @Option(help: "Issues to store before measuring.")
    var issues: Int = 10_000

    @Option(help: "Detail requests to time.")
    var requests: Int = 2_000

    @Option(help: "Payloads (the captured ddtrace v0.5 fixture) sent to a separate `faultline serve` for the RSS figure.")
    var payloads: Int = 2_000

    @Option(help: "A ddtrace v0.5 payload file for the ingest load (default: Tests/Fixtures/server/ddtrace-python-v05.msgpack).")
    var payload: String = "Tests/Fixtures/server/ddtrace-python-v05.msgpack"

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-bench-api-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try StoreOpener.open(dataDirectory: directory.path)

        let fillStart = ContinuousClock.now
        let grouper = Grouper()
        var batch: [GroupedEvent] = []
        for index in 0..<issues {
            batch.append(grouper.group(Self.event(index)))
            if batch.count == 500 {
                try await store.ingest(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await store.ingest(batch) }
        print("stored \(issues) issues (30-frame Python traces) in \(ContinuousClock.now - fillStart)")

        // In-process: the endpoint's own work (store read + JSON encoding), no network.
        var direct: [Duration] = []
        for _ in 0..<requests {
            let id = Int64.random(in: 1...Int64(issues))
            let start = ContinuousClock.now
            guard let detail = try await store.issueDetail(id: id) else { throw BenchFailure("issue \(id) missing") }
            _ = try JSONEncoder().encode(detail)
            direct.append(ContinuousClock.now - start)
        }
        Self.report("issue detail, store read + JSON encode", direct)

        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, otlpPort: nil, dataDirectory: directory.path)
        configuration.logLevel = "error"
        let portBox = PortBox()
        let app = try await buildApplication(configuration) { _, port in await portBox.set(port) }
        let server = Task { try await app.runService() }
        let port = try await portBox.wait()
        let session = URLSession(configuration: .ephemeral)

        var overHTTP: [Duration] = []
        for _ in 0..<requests {
            let id = Int.random(in: 1...issues)
            guard let url = URL(string: "http://127.0.0.1:\(port)/api/v1/issues/\(id)") else { continue }
            let start = ContinuousClock.now
            let (_, response) = try await session.data(from: url)
            overHTTP.append(ContinuousClock.now - start)
            guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw BenchFailure("GET issue \(id) failed") }
        }
        Self.report("GET /api/v1/issues/{id} over loopback HTTP (URLSession client)", overHTTP)

        server.cancel()
        guard let body = FileManager.default.contents(atPath: payload) else { throw BenchFailure("cannot read \(payload)") }
        try await ingestLoad(body: body, session: session)
    }

    /// Runs `faultline serve` as its own process on an empty store, loads its intake, and reads its peak RSS.
    func ingestLoad(body: Data, session: URLSession) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-bench-rss-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        // The product's own binary, built beside this one (scripts/bench builds both).
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).standardizedFileURL
            .deletingLastPathComponent().appendingPathComponent("faultline")
        process.arguments = ["serve", "--port", "0", "--otlp-port", "off", "--data-dir", directory.path]
        var environment = ProcessInfo.processInfo.environment
        environment["FAULTLINE_LOG_LEVEL"] = "error"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let port = await ChildProcess.listeningPort(output.fileHandleForReading)
        guard let port else { throw BenchFailure("faultline serve did not start") }
        let pid = process.processIdentifier
        let rssBefore = Self.statusKilobytes("VmRSS", pid: pid)
        let loadStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var sent = 0
            for _ in 0..<8 where sent < payloads {
                sent += 1
                group.addTask { try await Self.put(body, port: port, session: session) }
            }
            while try await group.next() != nil {
                if sent < payloads {
                    sent += 1
                    group.addTask { try await Self.put(body, port: port, session: session) }
                }
            }
        }
        let elapsed = ContinuousClock.now - loadStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("ingest load on a separate `faultline serve` process: \(payloads) captured ddtrace v0.5 payloads (\(body.count) bytes, 8 spans, 4 error events each), 8 in flight, \(String(format: "%.2f", seconds)) s (\(Int(Double(payloads) / seconds)) payloads/s, \(Int(Double(payloads * 4) / seconds)) events committed/s)")
        print("server RSS before load \(rssBefore / 1024) MB; peak RSS (VmHWM) after load \(Self.statusKilobytes("VmHWM", pid: pid) / 1024) MB")
    }

    static func put(_ body: Data, port: Int, session: URLSession) async throws {
        guard let url = URL(string: "http://127.0.0.1:\(port)/v0.5/traces") else { return }
        var request = URLRequest(url: url)
        request.httpMethod = "PUT"
        request.httpBody = body
        request.setValue("application/msgpack", forHTTPHeaderField: "Content-Type")
        let (_, response) = try await session.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw BenchFailure("intake answered \((response as? HTTPURLResponse)?.statusCode ?? 0)") }
    }

    static func report(_ name: String, _ samples: [Duration]) {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return }
        func percentile(_ p: Double) -> String {
            let value = Percentile.value(in: sorted, at: p)
            let micros = Double(value.components.seconds) * 1e6 + Double(value.components.attoseconds) / 1e12
            return String(format: "%.0f µs", micros)
        }
        print("\(name): n=\(sorted.count) p50 \(percentile(0.5)) p99 \(percentile(0.99)) max \(percentile(1.0))")
    }

    /// A field of /proc/<pid>/status in kB (Linux).
    static func statusKilobytes(_ field: String, pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "0") ?? 0
        }
        return 0
    }

    /// A realistic Python error: 30 frames, half in-app.
    static func event(_ index: Int) -> ErrorEvent {
        var stack = "Traceback (most recent call last):\n"
        for frame in 0..<30 {
            let file = frame % 2 == 0 ? "/app/shop/module\(frame).py" : "/usr/lib/python3.11/site-packages/lib\(frame)/core.py"
            stack += "  File \"\(file)\", line \(10 + frame), in handler_\(index % 97)_\(frame)\n    call_next(request)\n"
        }
        stack += "BenchError\(index): request failed for order \(index)\n"
        let nanos = Int64(Date().timeIntervalSince1970 * 1e9)
        return ErrorEvent(
            traceID: String(format: "%016llx", UInt64(index + 1)), spanID: String(format: "%016llx", UInt64(index + 1)),
            service: "bench-\(index % 20)", env: "prod", version: "1.\(index % 5).0", resource: "GET /orders/{id}",
            operation: "web.request", startNanos: nanos, durationNanos: 2_000_000,
            errorType: "BenchError\(index)", errorMessage: "request failed for order \(index)", errorStack: stack,
            language: "python", spanTags: ["http.method": "GET", "http.status_code": "500"],
            hostTags: ["host": "bench-host-\(index % 8)"], containerTags: ["container_id": "c\(index % 16)"],
            metrics: ["_dd.top_level": 1], git: GitLink(repositoryURL: "https://github.com/acme/shop", commitSHA: "0123456789abcdef0123456789abcdef01234567")
        )
    }
}

/// Hands the bound port from the server's callback to the benchmark.
actor PortBox {
    private var port: Int?
    private var waiters: [CheckedContinuation<Int, Never>] = []

    func set(_ port: Int) {
        self.port = port
        for waiter in waiters { waiter.resume(returning: port) }
        waiters.removeAll()
    }

    func wait() async throws -> Int {
        if let port { return port }
        return await withCheckedContinuation { waiters.append($0) }
    }
}
