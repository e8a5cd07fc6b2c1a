import ArgumentParser
import FaultlineCore
import FaultlineStore
import FaultlineTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `scripts/bench store`: commits pre-grouped error events to a fresh SQLite store and reports
/// events committed per second of wall time and per CPU-second (per core), then issue-detail read latency.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Events committed per second per core, and issue-detail read latency."
    )

    @Option(help: "Events to ingest.")
    var events: Int = 200_000

    @Option(help: "Distinct issues the events spread over.")
    var issues: Int = 10_000

    @Option(help: "Zipf exponent of how events spread over issues (0 = uniform: every event likely a different issue).")
    var skew: Double = 1.1

    @Option(help: "Events per ingest call (one intake request).")
    var batch: Int = 100

    @Option(help: "Concurrent ingest callers (group commit merges their batches).")
    var concurrency: Int = 8

    @Option(help: "Frames per event's stack trace.")
    var frames: Int = 30

    @Option(help: "Sample events kept per issue.")
    var samples: Int = 100

    @Option(help: "Most events one ingest call stores per issue.")
    var samplesPerRequest: Int = 5

    @Option(help: "Issue-detail reads to time after ingest.")
    var reads: Int = 5_000

    @Option(help: "Data directory (default: a fresh temporary directory, removed afterwards).")
    var dataDir: String?

    func validate() throws {
        guard events > 0, issues > 0, batch > 0, concurrency > 0, frames >= 0, samples > 0, reads >= 0, skew >= 0 else {
            throw ValidationError("counts must be positive")
        }
    }

    func run() async throws {
        let directory = dataDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("faultline-bench-store-\(UUID().uuidString)")
        defer { if dataDir == nil { try? FileManager.default.removeItem(at: directory) } }
        let store = try IssueStore(configuration: StoreConfiguration(dataDirectory: directory, samplesPerIssue: samples, samplesPerRequest: samplesPerRequest))

        // Build the batches up front: the figure is the store's, not the generator's.
        let templates = (0..<min(issues, 1000)).map { Self.template(index: $0, frames: frames) }
        var generator = SplitMix64(seed: 42)
        // Real error traffic is skewed: a few issues produce most events.
        var cumulative: [Double] = []
        cumulative.reserveCapacity(issues)
        var sum = 0.0
        for rank in 1...issues {
            sum += 1 / pow(Double(rank), skew)
            cumulative.append(sum)
        }
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        var batches: [[GroupedEvent]] = []
        var made = 0
        while made < events {
            let count = min(batch, events - made)
            batches.append((0..<count).map { offset in
                let target = Double(generator.next() >> 11) / Double(1 << 53) * sum
                var low = 0
                var high = issues - 1
                while low < high {
                    let middle = (low + high) / 2
                    if cumulative[middle] < target { low = middle + 1 } else { high = middle }
                }
                let issue = low
                let index = made + offset
                return Self.event(template: templates[issue % templates.count], issue: issue, index: index,
                                  at: start.addingTimeInterval(Double(index) * 0.01))
            })
            made += count
        }
        let payloadBytes = try JSONEncoder().encode(batches[0][0]).count

        let cpuBefore = Self.cpuSeconds()
        let clock = ContinuousClock()
        let began = clock.now
        let queue = BatchQueue(batches)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while let next = await queue.next() {
                        try await store.ingest(next)
                    }
                }
            }
            try await group.waitForAll()
        }
        let wall = Self.seconds(clock.now - began)
        let cpu = Self.cpuSeconds() - cpuBefore

        var latencies: [Double] = []
        latencies.reserveCapacity(reads)
        let total = try await store.issues(IssueListRequest(limit: 1)).total
        for _ in 0..<reads {
            let id = Int64(generator.next() % UInt64(max(total, 1))) + 1
            let readStart = clock.now
            _ = try await store.issue(id: id)
            latencies.append(Self.seconds(clock.now - readStart) * 1000)
        }
        latencies.sort()
        let databasePath = directory.appendingPathComponent("faultline.sqlite").path
        let fileSize = ((try? FileManager.default.attributesOfItem(atPath: databasePath))?[.size] as? Int) ?? 0

        print("store bench: \(events) events over \(total) issues (zipf \(skew)), \(frames) frames each (~\(payloadBytes) B JSON), batch \(batch), \(concurrency) concurrent callers, \(samples) samples/issue, \(samplesPerRequest) per request")
        print(String(format: "ingest wall:        %.2f s  -> %.0f events/s", wall, Double(events) / wall))
        print(String(format: "ingest CPU:         %.2f s  -> %.0f events per CPU-second (per core)", cpu, Double(events) / cpu))
        if !latencies.isEmpty {
            print(String(format: "issue detail read:  p50 %.3f ms  p99 %.3f ms  (%d reads)",
                         Self.percentile(latencies, 0.50), Self.percentile(latencies, 0.99), latencies.count))
        }
        print("database file:      \(fileSize / 1_048_576) MiB (plus WAL)")
        print("peak RSS:           \(Self.peakRSSMegabytes()) MiB (includes the pre-built events)")
    }

    private static func template(index: Int, frames: Int) -> (type: String, message: String, frames: [Frame]) {
        let frameList = (0..<frames).map { depth in
            let inApp = depth < frames / 3
            return Frame(
                function: "handler_\(index)_\(depth)",
                module: inApp ? "app.services.module\(index % 50)" : "django.core.handlers.base",
                file: inApp ? "/app/services/module\(index % 50).py" : "/usr/local/lib/python3.11/site-packages/django/core/handlers/base.py",
                line: 10 + depth * 7,
                inApp: inApp,
                context: "result = self.process(request, *args, **kwargs)"
            )
        }
        return ("ValueError\(index % 20)", "invalid literal for int() with base 10: 'abc\(index)'", frameList)
    }

    private static func event(template: (type: String, message: String, frames: [Frame]), issue: Int, index: Int, at date: Date) -> GroupedEvent {
        let spanID = String(format: "%016llx", UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let raw = "Traceback (most recent call last):\n" + template.frames.reversed().map {
            "  File \"\($0.file ?? "")\", line \($0.line ?? 0), in \($0.function ?? "")\n    \($0.context ?? "")"
        }.joined(separator: "\n") + "\n\(template.type): \(template.message)"
        let error = ErrorEvent(
            traceID: String(format: "%032llx", UInt64(index) &* 31), spanID: spanID,
            service: "service-\(issue % 20)", env: issue % 7 == 0 ? "staging" : "prod", version: "1.\(issue % 5).0",
            resource: "GET /api/v1/items/{id}", operation: "django.request",
            startNanos: Int64(date.timeIntervalSince1970 * 1e9), durationNanos: 23_000_000,
            errorType: template.type, errorMessage: template.message, errorStack: raw, language: "python",
            spanTags: ["http.method": "GET", "http.status_code": "500", "http.route": "/api/v1/items/{id}", "component": "django", "span.kind": "server"],
            hostTags: ["host": "web-\(index % 12)"],
            containerTags: ["container_id": String(format: "%012llx", UInt64(index % 40) &* 7919)],
            metrics: ["_dd.top_level": 1, "_sampling_priority_v1": 1, "process_id": 4242],
            git: GitLink(repositoryURL: "https://github.com/acme/shop", commitSHA: "0123456789abcdef0123456789abcdef01234567")
        )
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(type: template.type, message: template.message, frames: template.frames)], raw: raw)
        let parts = ["type:\(template.type)", "message:\(template.message)", "issue:\(issue)"]
        return GroupedEvent(event: error, stackTrace: trace, normalizedMessage: template.message,
                            fingerprint: Fingerprint(value: String(format: "%064llx", UInt64(issue) &* 0x9E37_79B9), version: 1, parts: parts))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private static func cpuSeconds() -> Double {
        CPUTime.process
    }

    private static func peakRSSMegabytes() -> Int {
        CPUTime.peakRSSMegabytes
    }

    private static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        Percentile.value(in: sorted, at: p)
    }
}

/// Hands out pre-built batches to concurrent callers.
private actor BatchQueue {
    private var batches: [[GroupedEvent]]
    private var position = 0

    init(_ batches: [[GroupedEvent]]) {
        self.batches = batches
    }

    func next() -> [GroupedEvent]? {
        guard position < batches.count else { return nil }
        defer { position += 1 }
        return batches[position]
    }
}
