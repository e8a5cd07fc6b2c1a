import FaultlineMonitors
import FaultlineStore
import Foundation
import Logging

/// The monitors' delivery worker as `serve` configures it.
func buildDeliveryWorker(_ configuration: ServerConfiguration, store: IssueStore, logger: Logger) -> DeliveryWorker {
    var monitorLogger = logger
    monitorLogger[metadataKey: "component"] = "monitors"
    return DeliveryWorker(
        store: store,
        facts: StoreNotificationFacts(store: store, enrichmentEnabled: configuration.enrichmentEnabled, publicURL: configuration.publicURL.map { $0.absoluteString.hasSuffix("/") ? String($0.absoluteString.dropLast()) : $0.absoluteString }),
        allowList: configuration.notifyAllowList,
        settings: DeliveryWorker.Settings(
            pollInterval: .milliseconds(Int64(min(1, configuration.notifyThresholdInterval) * 1000)),
            thresholdInterval: .milliseconds(Int64(configuration.notifyThresholdInterval * 1000)),
            retrySchedule: RetrySchedule(delays: configuration.notifyRetryDelays),
            timeout: configuration.notifyTimeout,
            enrichmentWait: configuration.notifyEnrichmentWait,
            pagerDutyEventsURL: configuration.pagerDutyEventsURL
        ),
        logger: monitorLogger
    )
}
