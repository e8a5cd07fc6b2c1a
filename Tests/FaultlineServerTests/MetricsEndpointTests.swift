import FaultlineIntake
import FaultlineServer
import FaultlineStore
import FaultlineTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `/metrics`: Prometheus text of this server's own registry, moved by real tracer traffic.
@Suite("Metrics endpoint")
struct MetricsEndpointTests {
    static func scrape(_ client: some TestClientProtocol) async throws -> MetricsScrape {
        try await client.execute(uri: "/metrics", method: .get) { response in
            guard response.status == .ok else { throw TestFailure("GET /metrics answered \(response.status.code)") }
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            return MetricsScrape(String(buffer: response.body))
        }
    }

    /// What the fixture holds, read with intake's own decoder: the numbers the counters must move by.
    static func stats(_ fixture: String, _ format: PayloadFormat) throws -> IntakeBatch {
        try format.decode(try TestEnvironment.fixtureBytes(fixture))
    }

    @Test("payloads, spans, drops, stored events, latencies and store size move with ddtrace and OTLP traffic")
    func countersMoveWithTraffic() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let v05 = try Self.stats("ddtrace-python-v05.msgpack", .datadogV05)
        let otlp = try Self.stats("otel-python.pb", .otlpProtobuf)
        #expect(v05.events.count > 0 && otlp.events.count > 0)
        try await app.test(.router) { client in
            let before = try await Self.scrape(client)
            #expect(before["faultline_intake_payloads_received_total{format=\"v05\"}"] == 0)
            #expect(before["faultline_error_events_total{outcome=\"stored\"}"] == 0)

            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            try await client.send(fixture: "otel-python.pb", to: "/v1/traces", contentType: "application/x-protobuf")
            // The same v0.5 payload again: its events are duplicates now.
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            try await client.execute(
                uri: "/v0.4/traces", method: .put, headers: [.contentType: "application/msgpack"], body: ByteBuffer(bytes: [0x93, 0x01])
            ) { response in
                #expect(response.status == .badRequest)
            }
            _ = try await client.issues()

            let after = try await Self.scrape(client)
            #expect(after["faultline_intake_payloads_received_total{format=\"v05\"}"] == 2)
            #expect(after["faultline_intake_payloads_received_total{format=\"otlp-proto\"}"] == 1)
            #expect(after["faultline_intake_payloads_received_total{format=\"v04\"}"] == 0)
            #expect(after["faultline_intake_payloads_rejected_total{format=\"v04\"}"] == 1)
            #expect(after["faultline_intake_spans_received_total{format=\"v05\"}"] == Double(2 * v05.stats.spansScanned))
            #expect(after["faultline_intake_spans_received_total{format=\"otlp-proto\"}"] == Double(otlp.stats.spansScanned))
            let dropped = ["no_error", "not_entry", "no_stack", "malformed"].map { after["faultline_intake_spans_dropped_total{reason=\"\($0)\"}"] }
            let scanned = Double(2 * v05.stats.spansScanned + otlp.stats.spansScanned)
            let events = Double(2 * v05.events.count + otlp.events.count)
            #expect(dropped.reduce(0, +) + events == scanned, "every scanned span is an event or dropped for one reason")
            #expect(after["faultline_intake_spans_dropped_total{reason=\"no_error\"}"] == Double(2 * v05.stats.skippedNoError + otlp.stats.skippedNoError))
            let kept = after["faultline_error_events_total{outcome=\"stored\"}"] + after["faultline_error_events_total{outcome=\"counted_only\"}"]
            #expect(kept == Double(v05.events.count + otlp.events.count))
            #expect(after["faultline_error_events_total{outcome=\"stored\"}"] > 0)
            #expect(after["faultline_error_events_total{outcome=\"duplicate\"}"] == Double(v05.events.count))
            #expect(after["faultline_issues_created_total"] >= 2)
            #expect(after["faultline_store_commit_duration_seconds_count"] == 3)
            #expect(after["faultline_intake_request_duration_seconds_count{route=\"/v0.5/traces\",status=\"200\"}"] == 2)
            #expect(after["faultline_intake_request_duration_seconds_count{route=\"/v0.4/traces\",status=\"400\"}"] == 1)
            #expect(after["faultline_api_request_duration_seconds_count{route=\"/api/v1/issues\",method=\"GET\",status=\"200\"}"] == 1)
            #expect(after["faultline_store_size_bytes"] > 0)
            #expect(!after.names.isEmpty)
            for name in after.names {
                #expect(name.hasPrefix("faultline_"), "\(name)")
            }
            // Help and type lines name the same families.
            #expect(after.text.contains("# TYPE faultline_intake_spans_received_total counter"))
            #expect(after.text.contains("# TYPE faultline_api_request_duration_seconds histogram"))
        }
    }

    @Test("an API route is labelled by its template, never by the raw path a client sent")
    func routeLabelsAreTemplates() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            for id in [1, 2, 3] {
                try await client.execute(uri: "/api/v1/issues/\(id)", method: .get) { #expect($0.status == .notFound) }
            }
            try await client.execute(uri: "/api/v1/no-such-route-secret-abc", method: .get) { #expect($0.status == .notFound) }
            let scrape = try await Self.scrape(client)
            #expect(scrape["faultline_api_request_duration_seconds_count{route=\"/api/v1/issues/{id}\",method=\"GET\",status=\"404\"}"] == 3)
            #expect(scrape["faultline_api_request_duration_seconds_count{route=\"unmatched\",method=\"GET\",status=\"404\"}"] == 1)
            #expect(!scrape.text.contains("no-such-route"))
        }
    }

    @Test("two servers in one process count separately")
    func registriesArePerApplication() async throws {
        let first = try TestEnvironment.temporaryDirectory()
        let second = try TestEnvironment.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        let one = try await TestServer.application(dataDirectory: first)
        let two = try await TestServer.application(dataDirectory: second)
        try await one.test(.router) { client in
            try await client.send(fixture: "otel-python.pb", to: "/v1/traces", contentType: "application/x-protobuf")
            let scrape = try await Self.scrape(client)
            #expect(scrape["faultline_intake_payloads_received_total{format=\"otlp-proto\"}"] == 1)
        }
        try await two.test(.router) { client in
            let scrape = try await Self.scrape(client)
            #expect(scrape["faultline_intake_payloads_received_total{format=\"otlp-proto\"}"] == 0)
        }
    }
}

/// Store maintenance counts its passes, deletions and auto-resolutions into the server's metrics.
@Suite("Store maintenance metrics")
struct StoreMaintenanceMetricsTests {
    @Test("a pass's deletions and auto-resolutions are counted; a failed pass is counted as failed")
    func maintenanceCounts() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try StoreOpener.open(dataDirectory: directory.path)
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let day: TimeInterval = 24 * 3600
        for offset in 0..<3 {
            try await store.ingest([StoreMaintenanceTests.event(version: "1.0", message: "first bug", at: start + Double(offset))], receivedAt: start + Double(offset))
        }
        try await store.ingest([StoreMaintenanceTests.event(version: "1.1", message: "other bug", at: start + 2 * day)], receivedAt: start + 2 * day)
        let metrics = ServerMetrics()
        let maintenance = StoreMaintenance(store: store, logger: TestServer.logger, metrics: metrics)
        let summary = await maintenance.runOnce(now: start + 40 * day)
        #expect(summary.eventsDeleted == 2 && summary.issuesAutoResolved >= 1)
        var scrape = MetricsScrape(metrics.registry.emitToString())
        #expect(scrape["faultline_store_maintenance_passes_total{result=\"ok\"}"] == 1)
        #expect(scrape["faultline_store_events_deleted_total"] == Double(summary.eventsDeleted))
        #expect(scrape["faultline_issues_auto_resolved_total"] == Double(summary.issuesAutoResolved))

        try store.close()
        _ = await maintenance.runOnce(now: start + 41 * day)
        scrape = MetricsScrape(metrics.registry.emitToString())
        #expect(scrape["faultline_store_maintenance_passes_total{result=\"failed\"}"] == 1)
        #expect(scrape["faultline_store_maintenance_passes_total{result=\"ok\"}"] == 1)
    }
}
