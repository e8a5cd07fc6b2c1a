import FaultlineStore
import Hummingbird
import Logging
import NIOCore

/// `GET /metrics`: every metric of this application in Prometheus' text format. The store's size and the
/// enrichment queue's depth are read at each scrape; counters and histograms are kept as things happen.
/// Metric labels hold formats, reasons, statuses and route templates only: never a credential or user data.
struct MetricsController<Context: RequestContext>: Sendable {
    let metrics: ServerMetrics
    let store: IssueStore
    /// Whether an enrichment worker runs (without one the queue is not reported: nothing drains it).
    let enrichmentEnabled: Bool

    func addRoutes(to router: Router<Context>) {
        router.get("/metrics") { _, context in
            await refreshGauges(logger: context.logger)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
    }

    /// A failed read keeps the gauge's last value and is logged; the scrape still answers.
    private func refreshGauges(logger: Logger) async {
        do {
            metrics.storeSize.set(try await store.usedBytes())
            if enrichmentEnabled {
                metrics.enrichmentQueueDepth.set(Int64(try await store.pendingEnrichmentCount()))
            }
        } catch {
            logger.warning("Reading store gauges for /metrics failed", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}
