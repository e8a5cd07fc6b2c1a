import FaultlineServer
import FaultlineTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The enrichment worker and the mirrors count into the same `/metrics` as intake: clones, failed clones,
/// frames by status, results and the queue.
@Suite("Enrichment metrics")
struct EnrichmentMetricsTests {
    static let traceback = """
        Traceback (most recent call last):
          File "/app/shop/cart.py", line 2, in parse_quantity
            return int(value)
        ValueError: invalid literal for int() with base 10: 'x'
        """

    /// A v0.4 JSON chunk: one failing entry span of `service`, tagged with its repository and commit.
    static func chunk(trace: Int, service: String, repository: String, commit: String) -> [[String: Any]] {
        let meta: [String: String] = [
            "env": "prod", "version": "1.0.0", "language": "python", "span.kind": "server",
            "error.type": "builtins.ValueError", "error.message": "invalid literal for int() with base 10: 'x'", "error.stack": traceback,
            "_dd.git.repository_url": repository, "_dd.git.commit.sha": commit,
        ]
        return [
            ["trace_id": trace, "span_id": trace * 10, "parent_id": 0, "service": service, "name": "flask.request", "resource": "POST /cart",
             "start": 1_790_000_000_000_000_000, "duration": 1_000_000, "error": 1, "meta": meta, "metrics": ["_dd.top_level": 1]],
        ]
    }

    @Test("a clone, a failed clone, resolved frames and stored and retried results are counted")
    func enrichmentCounts() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = try GitFixture(name: "shop")
        try repository.write("shop/cart.py", "def parse_quantity(value):\n    return int(value)\n")
        let sha = try repository.commit("Cart: parse quantities")
        let repositoryRoot = repository.root.path
        let configuration = TestServer.configuration(dataDirectory: directory) { configuration in
            configuration.enrichmentEnabled = true
            configuration.allowRepos = ["file://\(repositoryRoot)/*"]
        }
        let app = try await TestServer.application(dataDirectory: directory) { $0 = configuration }
        let body = try JSONSerialization.data(withJSONObject: [
            Self.chunk(trace: 1, service: "shop", repository: "file://\(repository.work.path)", commit: sha),
            Self.chunk(trace: 2, service: "ghost", repository: "file://\(repositoryRoot)/missing", commit: sha),
        ])
        try await app.test(.router) { client in
            try await client.execute(uri: "/v0.4/traces", method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)) {
                #expect($0.status == .ok)
            }
            // The worker runs beside the requests: wait (bounded) for both issues' results.
            var scrape = try await MetricsEndpointTests.scrape(client)
            for _ in 0..<400 {
                if scrape["faultline_enrichment_results_total{result=\"stored\"}"] >= 1,
                   scrape["faultline_enrichment_results_total{result=\"retry_scheduled\"}"] >= 1 { break }
                try await Task.sleep(for: .milliseconds(50))
                scrape = try await MetricsEndpointTests.scrape(client)
            }
            #expect(scrape["faultline_enrichment_results_total{result=\"stored\"}"] == 1)
            #expect(scrape["faultline_enrichment_results_total{result=\"retry_scheduled\"}"] == 1)
            #expect(scrape["faultline_enrichment_results_total{result=\"store_failed\"}"] == 0)
            #expect(scrape["faultline_enrichment_frames_total{status=\"resolved\"}"] == 1)
            #expect(scrape["faultline_enrichment_frames_total{status=\"repository_unavailable\"}"] == 1)
            #expect(scrape["faultline_mirror_transfer_duration_seconds_count{operation=\"clone\"}"] == 2)
            #expect(scrape["faultline_mirror_transfer_failures_total{operation=\"clone\"}"] == 1)
            // The ghost issue waits for its retry, not due yet; nothing else is pending.
            #expect(scrape.samples["faultline_enrichment_queue_depth"] == 0)
            #expect(!scrape.text.contains(repositoryRoot), "no repository path in the metrics")
        }
    }
}
