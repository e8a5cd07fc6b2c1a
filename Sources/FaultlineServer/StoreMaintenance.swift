import FaultlineStore
import Foundation
import Logging
import ServiceLifecycle

/// Runs the store's periodic work beside the server: event retention and auto-resolve of issues whose
/// service has moved on to a newer version they never appeared in.
public struct StoreMaintenance: Service {
    let store: IssueStore
    let interval: Duration
    /// The database size limit, when one is set (`max-store-bytes`).
    let maxStoreBytes: Int64?
    let logger: Logger
    /// Where passes, deletions and auto-resolutions are counted (`/metrics`).
    let metrics: ServerMetrics?

    public init(store: IssueStore, interval: Duration = .seconds(600), maxStoreBytes: Int64? = nil, logger: Logger, metrics: ServerMetrics? = nil) {
        self.store = store
        self.interval = interval
        self.maxStoreBytes = maxStoreBytes
        self.logger = logger
        self.metrics = metrics
    }

    public func run() async throws {
        // The first pass waits one interval, so a restart loop does not hammer a large store.
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await gracefulShutdownSafeSleep(interval)
            } catch {
                return
            }
            guard !Task.isShuttingDownGracefully else { return }
            await runOnce()
        }
    }

    /// Sleeps for `duration`, throwing as soon as a graceful shutdown or cancellation begins.
    private func gracefulShutdownSafeSleep(_ duration: Duration) async throws {
        try await cancelWhenGracefulShutdown {
            try await Task.sleep(for: duration)
        }
    }

    /// One retention and auto-resolve pass; failures are logged and retried at the next pass.
    @discardableResult
    public func runOnce(now: Date = Date()) async -> MaintenanceSummary {
        var summary = MaintenanceSummary()
        do {
            summary = try await store.applyRetention(now: now)
            if let maxStoreBytes {
                summary.eventsDeleted += try await store.enforceSizeLimit(maxBytes: maxStoreBytes)
            }
            summary.issuesAutoResolved = try await store.autoResolve(now: now)
            metrics?.recordMaintenance(summary)
            logger.info(
                "Store maintenance done",
                metadata: [
                    "store.events_deleted": "\(summary.eventsDeleted)",
                    "store.hourly_counts_deleted": "\(summary.hourlyCountsDeleted)",
                    "store.issues_auto_resolved": "\(summary.issuesAutoResolved)",
                ]
            )
        } catch {
            logger.error("Store maintenance failed", metadata: ["error": "\(error)"])
            metrics?.recordMaintenanceFailure()
        }
        return summary
    }
}
