import ArgumentParser
import FaultlineCore
import FaultlineStore
import FaultlineTestSupport
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `scripts/bench store`: commits pre-grouped error events to a fresh SQLite store and reports
/// events committed per second of wall time and per CPU-second (per core), issue-detail read latency,
/// bytes of database per stored event (all files after a checkpoint, per table from `dbstat`), and the
/// same run's baseline: the same events as whole-event JSON rows INSERTed into a plain table.
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

    @Option(help: "Distinct stack traces the issues share (0: one per issue, as distinct issues have distinct stacks).")
    var stacks: Int = 0

    @Option(help: "Sample events kept per issue (0: every event, the default, as the footprint figure needs).")
    var samples: Int = 0

    @Option(help: "Most events one ingest call stores per issue (0: every event of the call).")
    var samplesPerRequest: Int = 0

    @Option(help: "Issue-detail reads to time after ingest.")
    var reads: Int = 5_000

    @Option(help: "Data directory (default: a fresh temporary directory, removed afterwards).")
    var dataDir: String?

    @Flag(inversion: .prefixedNo, help: "Also time the baseline: the same events as plain INSERTs of whole-event JSON.")
    var baseline = true

    @Flag(help: "Print one JSON object instead of the text report.")
    var json = false

    func validate() throws {
        guard events > 0, issues > 0, batch > 0, concurrency > 0, frames >= 0, stacks >= 0, samples >= 0, samplesPerRequest >= 0, reads >= 0, skew >= 0 else {
            throw ValidationError("counts must be positive")
        }
    }

    func run() async throws {
        let directory = dataDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("faultline-bench-store-\(UUID().uuidString)")
        defer { if dataDir == nil { try? FileManager.default.removeItem(at: directory) } }
        let samplesPerIssue = samples == 0 ? Int.max : samples
        let perRequest = samplesPerRequest == 0 ? Int.max : samplesPerRequest
        let store = try IssueStore(configuration: StoreConfiguration(dataDirectory: directory, samplesPerIssue: samplesPerIssue, samplesPerRequest: perRequest))

        // Build the batches up front: the figure is the store's, not the generator's.
        let templates = (0..<(stacks == 0 ? issues : min(stacks, issues))).map { Self.template(index: $0, frames: frames) }
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
        let rssBeforeIngest = Self.residentMegabytes()

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
        let peakRSS = Self.peakRSSMegabytes()
        try store.close()
        let footprint = try Self.footprint(directory: directory)

        var baselineCPU = 0.0
        var baselineBytes = 0
        if baseline {
            let baselineDirectory = directory.appendingPathComponent("baseline", isDirectory: true)
            (baselineCPU, baselineBytes) = try Self.baseline(batches, directory: baselineDirectory)
        }

        let detailP50 = latencies.isEmpty ? 0 : Self.percentile(latencies, 0.50)
        let detailP99 = latencies.isEmpty ? 0 : Self.percentile(latencies, 0.99)
        let bytesPerEvent = footprint.storedEvents > 0 ? Double(footprint.bytes) / Double(footprint.storedEvents) : 0
        if json {
            var object: [String: Any] = [
                "events": events, "issues": issues, "issues_hit": total, "skew": skew, "frames": frames, "batch": batch,
                "concurrency": concurrency, "distinct_stacks": stacks == 0 ? issues : min(stacks, issues), "samples_per_issue": samples, "samples_per_request": samplesPerRequest,
                "stored_events": footprint.storedEvents,
                "events_per_cpu_second": (Double(events) / cpu).rounded(),
                "events_per_wall_second": (Double(events) / wall).rounded(),
                "ingest_cpu_seconds": cpu, "ingest_wall_seconds": wall,
                "database_bytes": footprint.bytes, "bytes_per_event": bytesPerEvent.rounded(),
                "table_bytes": footprint.tables,
                "detail_reads": latencies.count, "detail_read_p50_ms": detailP50, "detail_read_p99_ms": detailP99,
                "peak_rss_mb": peakRSS, "rss_before_ingest_mb": rssBeforeIngest,
                "machine": Self.machine(),
            ]
            if baseline {
                object["baseline_events_per_cpu_second"] = (Double(events) / baselineCPU).rounded()
                object["baseline_bytes_per_event"] = (Double(baselineBytes) / Double(events)).rounded()
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let keep = samples == 0 ? "every event" : "\(samples) samples/issue, \(samplesPerRequest == 0 ? "all" : String(samplesPerRequest)) per request"
        print("store bench: \(events) events over \(total) issues (zipf \(skew)), \(frames) frames each (~\(payloadBytes) B JSON, \(stacks == 0 ? issues : min(stacks, issues)) distinct stacks), batch \(batch), \(concurrency) concurrent callers, \(keep)")
        print(String(format: "ingest wall:        %.2f s  -> %.0f events/s", wall, Double(events) / wall))
        print(String(format: "ingest CPU:         %.2f s  -> %.0f events per CPU-second (per core)", cpu, Double(events) / cpu))
        if !latencies.isEmpty {
            print(String(format: "issue detail read:  p50 %.3f ms  p99 %.3f ms  (%d reads)", detailP50, detailP99, latencies.count))
        }
        print(String(format: "database:           %d bytes for %d stored events -> %.0f bytes per event (all files, after a checkpoint)",
                     footprint.bytes, footprint.storedEvents, bytesPerEvent))
        for (name, bytes) in footprint.tables.sorted(by: { $0.value > $1.value }) {
            print("  " + name.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%12d bytes  %7.1f per event", bytes, Double(bytes) / Double(max(footprint.storedEvents, 1))))
        }
        if baseline {
            print(String(format: "baseline (plain INSERT of whole-event JSON, 1 transaction per batch): %.0f events per CPU-second, %.0f bytes per event",
                         Double(events) / baselineCPU, Double(baselineBytes) / Double(events)))
        }
        print("peak RSS:           \(peakRSS) MiB (\(rssBeforeIngest) MiB before ingest: the pre-built events)")
    }

    /// Database files after a checkpoint, stored events, and bytes per table and index (`dbstat`, when SQLite has it).
    private static func footprint(directory: URL) throws -> (bytes: Int, storedEvents: Int, tables: [String: Int]) {
        let path = directory.appendingPathComponent("faultline.sqlite").path
        let queue = try DatabaseQueue(path: path)
        let (storedEvents, tables) = try queue.writeWithoutTransaction { db -> (Int, [String: Int]) in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            let stored = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? 0
            var tables: [String: Int] = [:]
            if let rows = try? Row.fetchAll(db, sql: "SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name") {
                for row in rows { tables[row["name"]] = row["bytes"] }
            }
            return (stored, tables)
        }
        try queue.close()
        return (fileBytes(path), storedEvents, tables)
    }

    private static func fileBytes(_ path: String) -> Int {
        ["", "-wal", "-shm"].reduce(0) { sum, suffix in
            sum + (((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? Int) ?? 0)
        }
    }

    /// The same events as plain rows (the columns of the v5 event table, whole-event JSON from `JSONEncoder` with
    /// the raw trace left out when it repeats error.stack, as v5 stored it): one prepared statement, one transaction
    /// per batch, one caller, no indexes, same page size and WAL settings. Returns CPU-seconds of the inserts
    /// (encoding excluded) and the database bytes after a checkpoint.
    private static func baseline(_ batches: [[GroupedEvent]], directory: URL) throws -> (Double, Int) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("baseline.sqlite").path
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA page_size = 8192")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE event (id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, received_at INTEGER NOT NULL,
                    occurred_at INTEGER NOT NULL, trace_id TEXT NOT NULL, span_id TEXT NOT NULL, version TEXT, host TEXT,
                    payload BLOB NOT NULL)
                """)
        }
        let encoder = JSONEncoder()
        var cpu = 0.0
        for (batchIndex, batch) in batches.enumerated() {
            let rows: [StatementArguments] = try batch.map { grouped in
                var stored = grouped
                if stored.stackTrace.raw == stored.event.errorStack { stored.stackTrace.raw = "" }
                let payload = try encoder.encode(stored)
                let millis = grouped.event.startNanos / 1_000_000
                return [batchIndex, millis, millis, grouped.event.traceID, grouped.event.spanID, grouped.event.version,
                        grouped.event.hostTags["host"], payload]
            }
            let before = CPUTime.process
            try pool.write { db in
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO event (issue_id, received_at, occurred_at, trace_id, span_id, version, host, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for row in rows { try insert.execute(arguments: row) }
            }
            cpu += CPUTime.process - before
        }
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try pool.close()
        return (cpu, fileBytes(path))
    }

    private static func machine() -> [String: Any] {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "")
            .split(separator: " ").prefix(3).compactMap { Double($0) }
        return ["cpus": ProcessInfo.processInfo.activeProcessorCount, "cpu_model": model, "load_average": load]
    }

    /// Resident set size now (VmRSS), in megabytes.
    private static func residentMegabytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
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
