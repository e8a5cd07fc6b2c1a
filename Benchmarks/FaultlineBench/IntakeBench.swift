import ArgumentParser
import FaultlineIntake
import FaultlineTestSupport
import Foundation

/// `scripts/bench intake`: spans scanned per second on one core, on payloads shaped like ddtrace's
/// (traces of a root and children, process tags on each chunk's first span, one error span in 50).
struct IntakeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "Measure Datadog intake throughput (spans scanned per second per core)."
    )

    @Option(help: "Spans per payload.")
    var spansPerPayload: Int = 1_000

    @Option(help: "One error span in this many spans.")
    var errorEvery: Int = 50

    @Option(help: "Seconds to run each format.")
    var seconds: Double = 3

    @Option(help: "Also measure OTLP on this captured protobuf export (e.g. Tests/Fixtures/intake/otel/payload-1.pb).")
    var otlpFile: String?

    @Flag(help: "Print one JSON object (spans_per_cpu_second per format) instead of the table.")
    var json = false

    func run() throws {
        if !json {
            print("payload: \(spansPerPayload) spans, 1 error span in \(errorEvery), traces of 5 spans")
            print("format      bytes/payload  spans/s (1 core)   spans/CPU-s   events/payload  MB/s")
        }
        var cases: [(String, [UInt8], ([UInt8]) throws -> IntakeBatch)] = try payloads().map { name, format, body, contentType in
            (name, body, { try DatadogIntake().decode($0, format: format, contentType: contentType) })
        }
        // The same traces as an OTLP/HTTP protobuf export (one resource, errors as `exception` events).
        cases.append(("otlp", OTLPWriter.export(syntheticSpans()), { try OTLPIntake().decode($0, contentType: "application/x-protobuf") }))
        if let otlpFile {
            let body = [UInt8](try Data(contentsOf: URL(fileURLWithPath: otlpFile)))
            cases.append(("otlp pb", body, { try OTLPIntake().decode($0, contentType: "application/x-protobuf") }))
        }
        var results: [String: Any] = [:]
        for (name, body, decode) in cases {
            let warm = try decode(body)
            var payloads = 0
            var scanned = 0
            let clock = ContinuousClock()
            let cpuStart = CPUTime.thread
            let start = clock.now
            var elapsed = Duration.zero
            while elapsed < .seconds(seconds) {
                for _ in 0..<20 {
                    let batch = try decode(body)
                    payloads += 1
                    scanned += batch.stats.spansScanned
                }
                elapsed = clock.now - start
            }
            let cpuSeconds = CPUTime.thread - cpuStart
            let secondsTaken = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let spansPerSecond = Double(scanned) / secondsTaken
            let spansPerCPUSecond = Double(scanned) / cpuSeconds
            let megabytes = Double(payloads * body.count) / secondsTaken / 1e6
            results[name] = [
                "spans_per_cpu_second": spansPerCPUSecond.rounded(), "spans_per_wall_second": spansPerSecond.rounded(),
                "bytes_per_payload": body.count, "spans_per_payload": warm.stats.spansScanned, "events_per_payload": warm.stats.errorEvents,
            ] as [String: Any]
            if json { continue }
            print(
                name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(body.count).padding(toLength: 15, withPad: " ", startingAt: 0)
                    + String(format: "%-19.0f", spansPerSecond)
                    + String(format: "%-14.0f", spansPerCPUSecond)
                    + String(warm.stats.errorEvents).padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "%.0f", megabytes)
            )
        }
        if json {
            let object: [String: Any] = ["spans_per_payload": spansPerPayload, "error_every": errorEvery, "formats": results]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    private func payloads() throws -> [(String, DatadogTraceFormat, [UInt8], String)] {
        let spans = syntheticSpans()
        return [
            ("v0.5", .v05, V05Writer().payload(spans), "application/msgpack"),
            ("v0.4", .v04, encodeV04(spans), "application/msgpack"),
            ("v0.4 json", .v04, try encodeJSON(spans), "application/json"),
        ]
    }

    /// Spans grouped in traces, as ddtrace would flush them.
    private func syntheticSpans() -> [[BenchSpan]] {
        var traces: [[BenchSpan]] = []
        var spanNumber = 0
        var random = SplitMix64(seed: 0x5eed)
        func next() -> UInt64 { random.next() }
        while spanNumber < spansPerPayload {
            let traceID = next()
            let rootID = next()
            var trace: [BenchSpan] = []
            for index in 0..<min(5, spansPerPayload - spanNumber) {
                let isError = spanNumber % errorEvery == 0
                var meta = ["env": "prod", "version": "1.4.2", "team": "payments", "kube_namespace": "shop", "container_id": "8f3e2a1b9c7d"]
                var metrics = ["_sampling_priority_v1": 1.0]
                if index == 0 {
                    meta.merge([
                        "_dd.git.repository_url": "https://github.com/acme/checkout.git",
                        "_dd.git.commit.sha": "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5",
                        "runtime-id": "7eb6f7a446ce4a5db162d40880279e51", "_dd.hostname": "web-1", "_dd.p.dm": "-0",
                        "_dd.p.tid": "6b0620d300000000", "language": "python", "http.method": "POST",
                        "http.url": "http://checkout.internal/api/v1/orders/\(spanNumber)", "http.status_code": "200",
                        "_dd.tags.process": "entrypoint.basedir:app,entrypoint.name:server,entrypoint.type:script",
                    ]) { $1 }
                    metrics.merge(["_dd.top_level": 1, "_dd.tracer_kr": 1, "process_id": 25252]) { $1 }
                } else {
                    meta["db.system"] = "postgresql"
                    meta["db.statement"] = "SELECT id, total, status FROM orders WHERE customer_id = ? LIMIT 50"
                    metrics["db.row_count"] = 12
                }
                if isError {
                    meta["error.type"] = "builtins.RuntimeError"
                    meta["error.message"] = "checkout failed for order \(spanNumber)"
                    meta["error.stack"] = """
                        Traceback (most recent call last):
                          File "/app/checkout/views.py", line 51, in checkout
                            charge(order_id * 10)
                          File "/app/checkout/payments.py", line 45, in charge
                            raise PaymentDeclined("card declined for amount %d" % amount)
                        RuntimeError: checkout failed for order \(spanNumber)
                        """
                }
                trace.append(BenchSpan(
                    service: "checkout", name: index == 0 ? "web.request" : "postgres.query",
                    resource: index == 0 ? "POST /checkout" : "SELECT orders", traceID: traceID,
                    spanID: index == 0 ? rootID : next(), parentID: index == 0 ? 0 : rootID,
                    start: 1_795_563_731_579_492_091 + Int64(spanNumber) * 1000, duration: 866_385,
                    error: isError ? 1 : 0, meta: meta, metrics: metrics, type: index == 0 ? "web" : "sql"
                ))
                spanNumber += 1
            }
            traces.append(trace)
        }
        return traces
    }

    private func encodeV04(_ traces: [[BenchSpan]]) -> [UInt8] {
        let body: MessagePack = .array(traces.map { trace in
            .array(trace.map { span in
                var fields: [(MessagePack, MessagePack)] = [
                    (.string("service"), .string(span.service)),
                    (.string("name"), .string(span.name)),
                    (.string("resource"), .string(span.resource)),
                    (.string("trace_id"), .unsigned(span.traceID)),
                    (.string("span_id"), .unsigned(span.spanID)),
                ]
                if span.parentID != 0 { fields.append((.string("parent_id"), .unsigned(span.parentID))) }
                fields += [
                    (.string("start"), .signed(span.start)),
                    (.string("duration"), .signed(span.duration)),
                    (.string("error"), .signed(Int64(span.error))),
                    (.string("meta"), .map(span.meta.sorted(by: { $0.key < $1.key }).map { (.string($0.key), .string($0.value)) })),
                    (.string("metrics"), .map(span.metrics.sorted(by: { $0.key < $1.key }).map { (.string($0.key), .double($0.value)) })),
                    (.string("type"), .string(span.type)),
                ]
                return .map(fields)
            })
        })
        return body.compactBytes
    }

    private func encodeJSON(_ traces: [[BenchSpan]]) throws -> [UInt8] {
        let objects: [[[String: Any]]] = traces.map { trace in
            trace.map { span in
                [
                    "service": span.service, "name": span.name, "resource": span.resource, "trace_id": span.traceID,
                    "span_id": span.spanID, "parent_id": span.parentID, "start": span.start, "duration": span.duration,
                    "error": span.error, "meta": span.meta, "metrics": span.metrics, "type": span.type,
                ]
            }
        }
        return [UInt8](try JSONSerialization.data(withJSONObject: objects))
    }
}

/// OTLP/HTTP protobuf exports written field by field (opentelemetry/proto/trace/v1/trace.proto numbers), as
/// the SDKs' exporters send them: one resource, one scope, roots as SERVER spans, errors with status ERROR and
/// an `exception` event.
private enum OTLPWriter {
    static func export(_ traces: [[BenchSpan]]) -> [UInt8] {
        var scope: [UInt8] = []
        scope.message(1, string(1, "opentelemetry.instrumentation.flask"))
        for trace in traces {
            for span in trace { scope.message(2, self.span(span)) }
        }
        let first = traces.first?.first
        var resource: [UInt8] = []
        for (key, value) in [
            ("service.name", first?.service ?? "checkout"), ("deployment.environment", first?.meta["env"] ?? "prod"),
            ("service.version", first?.meta["version"] ?? "1.0"), ("host.name", "web-1"), ("telemetry.sdk.language", "python"),
            ("vcs.repository.url.full", "https://github.com/acme/checkout"), ("vcs.ref.head.revision", "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5"),
        ] {
            resource.message(1, attribute(key, value))
        }
        var resourceSpans: [UInt8] = []
        resourceSpans.message(1, resource)
        resourceSpans.message(2, scope)
        var request: [UInt8] = []
        request.message(1, resourceSpans)
        return request
    }

    private static func span(_ span: BenchSpan) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.message(1, [UInt8](repeating: 0, count: 8) + id(span.traceID))
        bytes.message(2, id(span.spanID))
        if span.parentID != 0 { bytes.message(4, id(span.parentID)) }
        bytes.message(5, Array(span.name.utf8))
        bytes.varintField(6, span.parentID == 0 ? 2 : 3)
        bytes.fixed64Field(7, UInt64(span.start))
        bytes.fixed64Field(8, UInt64(span.start + span.duration))
        for (key, value) in span.meta.sorted(by: { $0.key < $1.key }) where !key.hasPrefix("error.") && !key.hasPrefix("_dd.") {
            bytes.message(9, attribute(key, value))
        }
        if span.error != 0 {
            var event: [UInt8] = []
            event.fixed64Field(1, UInt64(span.start + span.duration))
            event.message(2, Array("exception".utf8))
            event.message(3, attribute("exception.type", span.meta["error.type"] ?? ""))
            event.message(3, attribute("exception.message", span.meta["error.message"] ?? ""))
            event.message(3, attribute("exception.stacktrace", span.meta["error.stack"] ?? ""))
            bytes.message(11, event)
            var status: [UInt8] = []
            status.message(2, Array((span.meta["error.message"] ?? "").utf8))
            status.varintField(3, 2)
            bytes.message(15, status)
        }
        return bytes
    }

    private static func id(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    private static func string(_ field: Int, _ value: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.message(field, Array(value.utf8))
        return bytes
    }

    private static func attribute(_ key: String, _ value: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.message(1, Array(key.utf8))
        bytes.message(2, string(1, value))
        return bytes
    }
}

extension [UInt8] {
    fileprivate mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        append(UInt8(value))
    }

    fileprivate mutating func message(_ field: Int, _ body: [UInt8]) {
        varint(UInt64(field << 3 | 2))
        varint(UInt64(body.count))
        append(contentsOf: body)
    }

    fileprivate mutating func varintField(_ field: Int, _ value: UInt64) {
        varint(UInt64(field << 3))
        varint(value)
    }

    fileprivate mutating func fixed64Field(_ field: Int, _ value: UInt64) {
        varint(UInt64(field << 3 | 1))
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

private struct BenchSpan {
    var service, name, resource: String
    var traceID, spanID, parentID: UInt64
    var start, duration: Int64
    var error: Int
    var meta: [String: String]
    var metrics: [String: Double]
    var type: String
}

/// v0.5 payloads: a string table, then spans as 12-element arrays of indexes.
private struct V05Writer {
    var table: [String] = [""]
    var indexes: [String: Int] = ["": 0]

    mutating func index(_ text: String) -> UInt64 {
        if let index = indexes[text] { return UInt64(index) }
        indexes[text] = table.count
        table.append(text)
        return UInt64(table.count - 1)
    }

    func payload(_ traces: [[BenchSpan]]) -> [UInt8] {
        var writer = self
        let body: MessagePack = .array(traces.map { trace in
            .array(trace.map { span in
                .array([
                    .unsigned(writer.index(span.service)),
                    .unsigned(writer.index(span.name)),
                    .unsigned(writer.index(span.resource)),
                    .unsigned(span.traceID),
                    .unsigned(span.spanID),
                    .unsigned(span.parentID),
                    .signed(span.start),
                    .signed(span.duration),
                    .signed(Int64(span.error)),
                    .map(span.meta.sorted(by: { $0.key < $1.key }).map { (.unsigned(writer.index($0.key)), .unsigned(writer.index($0.value))) }),
                    .map(span.metrics.sorted(by: { $0.key < $1.key }).map { (.unsigned(writer.index($0.key)), .double($0.value)) }),
                    .unsigned(writer.index(span.type)),
                ])
            })
        })
        // The table is complete only once every span has been written.
        return MessagePack.array([.array(writer.table.map { .string($0) }), body]).compactBytes
    }
}
