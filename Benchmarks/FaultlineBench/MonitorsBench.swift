import ArgumentParser
import FaultlineCore
import FaultlineServer
import FaultlineStore
import FaultlineTestSupport
import Foundation
import Hummingbird
import Logging
import NIOCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `scripts/bench monitors`: (1) time from an error span accepted by intake (its request answered 200)
/// to the webhook received, over `--issues` new issues, on loopback: the real server in-process, a
/// real HTTP receiver, one `new_issue` webhook monitor; (2) the outbox's cost to intake throughput:
/// the same events committed with no monitor, and with new-issue, regression and threshold monitors.
struct MonitorsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitors",
        abstract: "Span accepted → webhook received latency, and the outbox's cost to intake throughput."
    )

    @Option(help: "New issues sent for the latency figure (one error span per request).")
    var issues: Int = 1_000

    @Option(help: "Requests per second (new issues arriving); 0 sends as fast as the server answers.")
    var rate: Double = 50

    @Option(help: "Events committed for the throughput figure.")
    var events: Int = 100_000

    @Option(help: "Distinct issues among those events (each one a new-issue notification per monitor).")
    var throughputIssues: Int = 10_000

    @Option(help: "Events per ingest call.")
    var batch: Int = 100

    @Option(help: "Rounds of the throughput runs (setups interleaved; the best of each is reported).")
    var rounds: Int = 3

    @Flag(help: "Print one JSON object instead of the text report.")
    var json = false

    func validate() throws {
        guard issues > 0, events > 0, throughputIssues > 0, batch > 0, rounds > 0, rate >= 0 else { throw ValidationError("counts must be positive") }
    }

    func run() async throws {
        let latency = try await latencyFigures()
        let costs = try await throughputFigures()
        if json {
            let object: [String: Any] = [
                "issues": issues, "rate": rate, "delivered": latency.count,
                "accepted_to_received_p50_ms": Percentile.value(in: latency, at: 0.5), "accepted_to_received_p99_ms": Percentile.value(in: latency, at: 0.99),
                "accepted_to_received_max_ms": latency.last ?? 0,
                "events": events, "throughput_issues": throughputIssues,
                "events_per_cpu_second": costs.map { ["monitors": $0.label, "value": $0.perCPUSecond.rounded()] },
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print("monitors bench: \(issues) new issues at \(rate == 0 ? "full speed" : "\(rate)/s"), one error span per request, loopback webhook, enrichment off")
        print(String(format: "span accepted → webhook received: p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%d delivered)",
                     Percentile.value(in: latency, at: 0.5), Percentile.value(in: latency, at: 0.99), latency.last ?? 0, latency.count))
        print("outbox cost: \(events) events over \(throughputIssues) issues, batch \(batch), 8 concurrent callers, best of \(rounds) interleaved rounds")
        let base = costs.first?.perCPUSecond ?? 1
        for cost in costs {
            let label = cost.label.padding(toLength: 48, withPad: " ", startingAt: 0)
            print("  " + label + String(format: "%8.0f events per CPU-second  (%+.1f %%)", cost.perCPUSecond, (cost.perCPUSecond / base - 1) * 100))
        }
    }

    // MARK: Latency

    /// When each notification reached the receiver, by the error type that names its issue.
    actor Arrivals {
        var received: [String: ContinuousClock.Instant] = [:]
        func record(_ key: String, at instant: ContinuousClock.Instant) { received[key] = received[key] ?? instant }
        var count: Int { received.count }
    }

    actor Ports {
        var ports: [String: Int] = [:]
        func set(_ name: String, _ port: Int) { ports[name] = port }
    }

    private func latencyFigures() async throws -> [Double] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-bench-monitors-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "bench")
        // Stopping the listeners logs their cancelled channels at error level.
        logger.logLevel = .critical

        // The receiver.
        let arrivals = Arrivals()
        let receiverRouter = Router()
        receiverRouter.post("/hook") { request, _ -> HTTPResponse.Status in
            let now = ContinuousClock.now
            let body = try await request.body.collect(upTo: 1 << 20)
            if let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any],
               let issue = object["issue"] as? [String: Any], let type = issue["errorType"] as? String {
                await arrivals.record(type, at: now)
            }
            return .ok
        }
        let ports = Ports()
        let receiver = Application(router: receiverRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                   onServerRunning: { await ports.set("receiver", $0.localAddress?.port ?? 0) }, logger: logger)
        let receiverTask = Task { try await receiver.runService(gracefulShutdownSignals: []) }
        defer { receiverTask.cancel() }

        // The server.
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, otlpPort: nil, dataDirectory: directory.appendingPathComponent("data").path,
                                                reposDirectory: directory.appendingPathComponent("repos").path)
        configuration.logLevel = "critical"
        configuration.enrichmentEnabled = false
        try configuration.apply(key: "allow-notify", value: "http://127.0.0.1:*", source: "bench")
        try configuration.apply(key: "public-url", value: "https://faultline.example.com", source: "bench")
        let app = try await buildApplication(configuration, logger: logger) { name, port in await ports.set(name, port) }
        let serverTask = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { serverTask.cancel() }
        var bound: [String: Int] = [:]
        for _ in 0..<1000 where bound.count < 2 {
            bound = await ports.ports
            if bound.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
        }
        guard let main = bound["main"], let receiverPort = bound["receiver"] else { throw BenchFailure("servers did not start") }
        let session = URLSession(configuration: .ephemeral)
        let base = "http://127.0.0.1:\(main)"
        var create = URLRequest(url: try Self.url(base + "/api/v1/monitors"))
        create.httpMethod = "POST"
        create.setValue("application/json", forHTTPHeaderField: "Content-Type")
        create.httpBody = try JSONSerialization.data(withJSONObject: [
            "name": "bench", "kind": "new_issue", "channel": ["type": "webhook", "url": "http://127.0.0.1:\(receiverPort)/hook", "secret": "whsec_YmVuY2gtc2VjcmV0"],
        ])
        let (_, created) = try await session.data(for: create)
        guard (created as? HTTPURLResponse)?.statusCode == 201 else { throw BenchFailure("creating the monitor failed") }

        // Send: each request one new issue; record when its 200 came back.
        let clock = ContinuousClock()
        let started = clock.now
        var accepted: [String: ContinuousClock.Instant] = [:]
        try await withThrowingTaskGroup(of: (String, ContinuousClock.Instant).self) { group in
            for index in 0..<issues {
                if rate > 0 {
                    let due = started + .milliseconds(Int64(Double(index) / rate * 1000))
                    if due > clock.now { try await Task.sleep(until: due, clock: clock) }
                }
                let payload = Self.payload(index)
                let url = try Self.url(base + "/v0.4/traces")
                group.addTask {
                    var request = URLRequest(url: url)
                    request.httpMethod = "PUT"
                    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                    request.httpBody = payload
                    let (_, response) = try await session.data(for: request)
                    guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw BenchFailure("intake did not answer 200") }
                    return ("BenchError\(index)", clock.now)
                }
                // At most 32 requests in flight.
                if index >= 32, let (key, at) = try await group.next() { accepted[key] = at }
            }
            for try await (key, at) in group { accepted[key] = at }
        }
        let deadline = clock.now + .seconds(120)
        while await arrivals.count < issues, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let received = await arrivals.received
        return accepted.compactMap { key, at in received[key].map { Self.milliseconds($0 - at) } }.sorted()
    }

    /// A v0.4 JSON payload with one entry error span whose error type is unique to `index`.
    static func payload(_ index: Int) -> Data {
        let id = 50_000 + index
        return Data("""
            [[{"trace_id": \(id), "span_id": \(id), "parent_id": 0, "service": "checkout", "name": "web.request",
               "resource": "POST /orders", "start": \(Int64(Date().timeIntervalSince1970 * 1e9)), "duration": 1500000, "error": 1,
               "meta": {"env": "prod", "version": "1.0.0", "language": "python", "error.type": "BenchError\(index)",
                        "error.message": "order \(index) failed",
                        "error.stack": "Traceback (most recent call last):\\n  File \\"/app/orders.py\\", line 10, in place\\n    charge()\\nBenchError\(index): order \(index) failed\\n"},
               "metrics": {"_dd.top_level": 1}}]]
            """.utf8)
    }

    static func url(_ text: String) throws -> URL {
        guard let url = URL(string: text) else { throw BenchFailure("bad URL") }
        return url
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    // MARK: Throughput

    private func throughputFigures() async throws -> [(label: String, perCPUSecond: Double)] {
        let setups: [(String, [Monitor])] = [
            ("no monitors", []),
            ("1 new_issue monitor", [Self.monitor(.newIssue, query: "")]),
            ("new_issue + regression + threshold (env:prod)", [
                Self.monitor(.newIssue, query: "env:prod"), Self.monitor(.regression, query: ""),
                Self.monitor(.threshold, query: "env:prod", threshold: Monitor.Threshold(count: 100, window: 300, per: .issue)),
            ]),
        ]
        var generator = SplitMix64(seed: 7)
        let start = Date()
        let batches: [[GroupedEvent]] = stride(from: 0, to: events, by: batch).map { first in
            (first..<min(events, first + batch)).map { index in
                let issue = Int(generator.next() % UInt64(throughputIssues))
                return Self.event(issue: issue, index: index, at: start)
            }
        }
        var best = Array(repeating: 0.0, count: setups.count)
        // One unmeasured run first: the first store of the process pays for page faults and caches.
        _ = try await Self.ingestAll(batches, monitors: [])
        for _ in 0..<rounds {
            for (index, setup) in setups.enumerated() {
                best[index] = max(best[index], Double(events) / (try await Self.ingestAll(batches, monitors: setup.1)))
            }
        }
        return zip(setups, best).map { ($0.0, $1) }
    }

    /// Commits every batch to a fresh store holding `monitors` (8 concurrent callers); the CPU seconds it took.
    private static func ingestAll(_ batches: [[GroupedEvent]], monitors: [Monitor]) async throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-bench-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try IssueStore(configuration: StoreConfiguration(dataDirectory: directory))
        for monitor in monitors { _ = try await store.createMonitor(monitor) }
        let queue = Batches(batches)
        let before = CPUTime.process
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while let next = await queue.next() { try await store.ingest(next) }
                }
            }
            try await group.waitForAll()
        }
        let cpu = CPUTime.process - before
        try store.close()
        return cpu
    }

    static func monitor(_ kind: Monitor.Kind, query: String, threshold: Monitor.Threshold? = nil) -> Monitor {
        Monitor(name: kind.rawValue, kind: kind, query: query, threshold: threshold, channel: Monitor.Channel(type: .webhook, url: "https://hooks.example.com/x"))
    }

    /// A 10-frame Python error of `issue`, as intake would have grouped it.
    static func event(issue: Int, index: Int, at date: Date) -> GroupedEvent {
        let frames = (0..<10).map { depth in
            Frame(function: "handler_\(depth)", module: "app.module\(issue % 50)", file: "/app/module\(issue % 50).py", line: 10 + depth, inApp: depth < 4,
                  context: "result = self.process(request)")
        }
        let raw = "Traceback (most recent call last):\n" + frames.reversed().map { "  File \"\($0.file ?? "")\", line \($0.line ?? 0), in \($0.function ?? "")" }
            .joined(separator: "\n") + "\nValueError: bad input \(issue)"
        let spanID = String(format: "%016llx", UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15)
        let error = ErrorEvent(
            traceID: String(format: "%032llx", UInt64(index + 1) &* 31), spanID: spanID, service: "service-\(issue % 20)", env: "prod", version: "1.0.0",
            resource: "GET /items", operation: "django.request", startNanos: Int64(date.timeIntervalSince1970 * 1e9), durationNanos: 1_000_000,
            errorType: "ValueError", errorMessage: "bad input \(issue)", errorStack: raw, language: "python",
            spanTags: ["http.method": "GET"], hostTags: ["host": "web-\(index % 12)"], containerTags: [:], metrics: ["_dd.top_level": 1], git: nil)
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(type: "ValueError", message: "bad input \(issue)", frames: frames)], raw: raw)
        return GroupedEvent(event: error, stackTrace: trace, normalizedMessage: "bad input <num>",
                            fingerprint: Fingerprint(value: String(format: "%064llx", UInt64(issue + 1) &* 0x9E37_79B9), version: 1, parts: ["issue:\(issue)"]))
    }
}

/// Hands out pre-built batches to concurrent callers.
private actor Batches {
    private var batches: [[GroupedEvent]]
    private var position = 0

    init(_ batches: [[GroupedEvent]]) { self.batches = batches }

    func next() -> [GroupedEvent]? {
        guard position < batches.count else { return nil }
        defer { position += 1 }
        return batches[position]
    }
}
