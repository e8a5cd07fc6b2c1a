import ArgumentParser
import FaultlineIntake
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

    func run() throws {
        print("payload: \(spansPerPayload) spans, 1 error span in \(errorEvery), traces of 5 spans")
        print("format      bytes/payload  spans/s (1 core)   events/payload  MB/s")
        var cases: [(String, [UInt8], ([UInt8]) throws -> IntakeBatch)] = try payloads().map { name, format, body, contentType in
            (name, body, { try DatadogIntake().decode($0, format: format, contentType: contentType) })
        }
        if let otlpFile {
            let body = [UInt8](try Data(contentsOf: URL(fileURLWithPath: otlpFile)))
            cases.append(("otlp pb", body, { try OTLPIntake().decode($0, contentType: "application/x-protobuf") }))
        }
        for (name, body, decode) in cases {
            let warm = try decode(body)
            var payloads = 0
            var scanned = 0
            let clock = ContinuousClock()
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
            let secondsTaken = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let spansPerSecond = Double(scanned) / secondsTaken
            let megabytes = Double(payloads * body.count) / secondsTaken / 1e6
            print(
                name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(body.count).padding(toLength: 15, withPad: " ", startingAt: 0)
                    + String(format: "%-19.0f", spansPerSecond)
                    + String(warm.stats.errorEvents).padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "%.0f", megabytes)
            )
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
        var random = UInt64(0x5eed)
        func next() -> UInt64 {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return random
        }
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
        var out = BenchMessagePack()
        out.arrayHeader(traces.count)
        for trace in traces {
            out.arrayHeader(trace.count)
            for span in trace {
                out.mapHeader(span.parentID == 0 ? 11 : 12)
                out.string("service"); out.string(span.service)
                out.string("name"); out.string(span.name)
                out.string("resource"); out.string(span.resource)
                out.string("trace_id"); out.unsigned(span.traceID)
                out.string("span_id"); out.unsigned(span.spanID)
                if span.parentID != 0 { out.string("parent_id"); out.unsigned(span.parentID) }
                out.string("start"); out.signed(span.start)
                out.string("duration"); out.signed(span.duration)
                out.string("error"); out.signed(Int64(span.error))
                out.string("meta"); out.mapHeader(span.meta.count)
                for (key, value) in span.meta.sorted(by: { $0.key < $1.key }) { out.string(key); out.string(value) }
                out.string("metrics"); out.mapHeader(span.metrics.count)
                for (key, value) in span.metrics.sorted(by: { $0.key < $1.key }) { out.string(key); out.double(value) }
                out.string("type"); out.string(span.type)
            }
        }
        return out.bytes
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
        var body = BenchMessagePack()
        body.arrayHeader(traces.count)
        for trace in traces {
            body.arrayHeader(trace.count)
            for span in trace {
                body.arrayHeader(12)
                body.unsigned(writer.index(span.service))
                body.unsigned(writer.index(span.name))
                body.unsigned(writer.index(span.resource))
                body.unsigned(span.traceID)
                body.unsigned(span.spanID)
                body.unsigned(span.parentID)
                body.signed(span.start)
                body.signed(span.duration)
                body.signed(Int64(span.error))
                body.mapHeader(span.meta.count)
                for (key, value) in span.meta.sorted(by: { $0.key < $1.key }) {
                    body.unsigned(writer.index(key)); body.unsigned(writer.index(value))
                }
                body.mapHeader(span.metrics.count)
                for (key, value) in span.metrics.sorted(by: { $0.key < $1.key }) {
                    body.unsigned(writer.index(key)); body.double(value)
                }
                body.unsigned(writer.index(span.type))
            }
        }
        var out = BenchMessagePack()
        out.arrayHeader(2)
        out.arrayHeader(writer.table.count)
        for text in writer.table { out.string(text) }
        return out.bytes + body.bytes
    }
}

/// The msgpack forms ddtrace emits (smallest header that fits).
private struct BenchMessagePack {
    var bytes: [UInt8] = []

    mutating func bigEndian(_ value: UInt64, width: Int) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    mutating func arrayHeader(_ count: Int) {
        if count < 16 { bytes.append(0x90 | UInt8(count)) } else { bytes.append(0xdd); bigEndian(UInt64(count), width: 4) }
    }

    mutating func mapHeader(_ count: Int) {
        if count < 16 { bytes.append(0x80 | UInt8(count)) } else { bytes.append(0xdf); bigEndian(UInt64(count), width: 4) }
    }

    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        if utf8.count < 32 { bytes.append(0xa0 | UInt8(utf8.count)) } else { bytes.append(0xdb); bigEndian(UInt64(utf8.count), width: 4) }
        bytes += utf8
    }

    mutating func unsigned(_ value: UInt64) {
        if value < 128 { bytes.append(UInt8(value)) } else if value <= UInt64(UInt32.max) { bytes.append(0xce); bigEndian(value, width: 4) } else { bytes.append(0xcf); bigEndian(value, width: 8) }
    }

    mutating func signed(_ value: Int64) {
        if value >= 0 { unsigned(UInt64(value)) } else { bytes.append(0xd3); bigEndian(UInt64(bitPattern: value), width: 8) }
    }

    mutating func double(_ value: Double) {
        bytes.append(0xcb)
        bigEndian(value.bitPattern, width: 8)
    }
}
