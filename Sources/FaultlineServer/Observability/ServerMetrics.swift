import FaultlineIntake
import FaultlineStore
import Foundation
import Prometheus

/// The metrics of one application, served at `/metrics` in Prometheus' text format; every name starts
/// with `faultline_`.
///
/// Each application owns its registry (never swift-prometheus' default one, nor a global
/// `MetricsSystem.bootstrap`), so several servers in one process — the tests — each count their own.
/// The server updates its families directly; the modules that count through swift-metrics (enrichment,
/// mirrors) get ``factory``, which writes into the same registry.
public final class ServerMetrics: Sendable {
    /// Why a scanned span did not become an error event: every scanned span lands in one reason or in the events.
    enum DropReason: String, CaseIterable {
        case noError = "no_error"
        case notEntry = "not_entry"
        case noStack = "no_stack"
        case malformed
        /// Beyond a payload's event or byte limit.
        case overLimit = "over_limit"
    }

    /// What the store did with an error event handed to it.
    enum EventOutcome: String, CaseIterable {
        /// Kept as a sample of its issue.
        case stored
        /// Counted only: its issue is excluded.
        case excluded
        /// Counted into its issue without a stored sample (beyond the samples kept per payload).
        case countedOnly = "counted_only"
        /// Counted before: the same (trace id, span id) came already.
        case duplicate
    }

    public let registry: PrometheusCollectorRegistry
    /// swift-metrics factory over ``registry``, for modules that count through swift-metrics.
    public let factory: PrometheusMetricsFactory

    let payloadsReceived: [PayloadFormat: Counter]
    let payloadsRejected: [PayloadFormat: Counter]
    let spansReceived: [PayloadFormat: Counter]
    let spansDropped: [DropReason: Counter]
    let errorEvents: [EventOutcome: Counter]
    let issuesCreated: Counter
    let regressions: Counter
    let commitDuration: DurationHistogram
    let storeSize: Gauge
    let enrichmentQueueDepth: Gauge
    let connectionsOpen: Gauge
    let maintenancePasses: [Bool: Counter]
    let eventsDeleted: Counter
    let issuesAutoResolved: Counter

    /// Request latencies: most answers take milliseconds, a large payload or export a few seconds.
    static let requestBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]
    /// Clones and fetches take from milliseconds (local) to minutes (a large remote repository).
    static let transferBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(30),
        .seconds(60), .seconds(120), .seconds(300),
    ]
    /// The swift-metrics timer labels the enrichment module records, with their buckets.
    static let mirrorTransferLabel = "faultline_mirror_transfer_duration_seconds"

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.requestBuckets
        factory.durationHistogramBuckets = [Self.mirrorTransferLabel: Self.transferBuckets]
        self.factory = factory

        func byFormat(_ name: String, _ help: String) -> [PayloadFormat: Counter] {
            Dictionary(uniqueKeysWithValues: PayloadFormat.allCases.map { format in
                (format, registry.makeCounter(descriptor: Self.descriptor(name, help), labels: [("format", format.rawValue)]))
            })
        }
        payloadsReceived = byFormat("faultline_intake_payloads_received_total", "Tracer payloads decoded, by payload format.")
        payloadsRejected = byFormat("faultline_intake_payloads_rejected_total", "Tracer payloads answered 400 because they did not decode, by payload format.")
        spansReceived = byFormat("faultline_intake_spans_received_total", "Spans scanned in decoded payloads, by payload format.")
        spansDropped = Dictionary(uniqueKeysWithValues: DropReason.allCases.map { reason in
            (reason, registry.makeCounter(
                descriptor: Self.descriptor("faultline_intake_spans_dropped_total", "Scanned spans that did not become error events, by reason."),
                labels: [("reason", reason.rawValue)]))
        })
        errorEvents = Dictionary(uniqueKeysWithValues: EventOutcome.allCases.map { outcome in
            (outcome, registry.makeCounter(
                descriptor: Self.descriptor("faultline_error_events_total", "Error events committed to the store, by what the store did with them."),
                labels: [("outcome", outcome.rawValue)]))
        })
        issuesCreated = registry.makeCounter(descriptor: Self.descriptor("faultline_issues_created_total", "Issues created by intake."))
        regressions = registry.makeCounter(descriptor: Self.descriptor("faultline_issue_regressions_total", "Resolved issues reopened by a new event."))
        commitDuration = registry.makeDurationHistogram(
            descriptor: Self.descriptor(
                "faultline_store_commit_duration_seconds",
                "Time from handing one payload's error events to the store until they are committed (group commit included)."),
            buckets: Self.requestBuckets)
        storeSize = registry.makeGauge(descriptor: Self.descriptor("faultline_store_size_bytes", "Bytes of the store's database pages in use."))
        enrichmentQueueDepth = registry.makeGauge(
            descriptor: Self.descriptor(
                "faultline_enrichment_queue_depth", "Issues whose latest event waits for enrichment or a due retry (0 with enrichment off)."))
        maintenancePasses = Dictionary(uniqueKeysWithValues: [true, false].map { succeeded in
            (succeeded, registry.makeCounter(
                descriptor: Self.descriptor("faultline_store_maintenance_passes_total", "Retention and auto-resolve passes, by result."),
                labels: [("result", succeeded ? "ok" : "failed")]))
        })
        eventsDeleted = registry.makeCounter(
            descriptor: Self.descriptor("faultline_store_events_deleted_total", "Events deleted by retention and the size limit."))
        issuesAutoResolved = registry.makeCounter(
            descriptor: Self.descriptor("faultline_issues_auto_resolved_total", "Issues resolved because their service moved on to a newer version."))
        connectionsOpen = registry.makeGauge(
            descriptor: Self.descriptor("faultline_http_connections_open", "Open HTTP connections, all listeners together."))
    }

    /// Counts what one decoded payload held.
    func recordPayload(_ format: PayloadFormat, stats: IntakeStats) {
        payloadsReceived[format]?.increment()
        spansReceived[format]?.increment(by: Int64(stats.spansScanned))
        spansDropped[.noError]?.increment(by: Int64(stats.skippedNoError))
        spansDropped[.notEntry]?.increment(by: Int64(stats.skippedNotEntry))
        spansDropped[.noStack]?.increment(by: Int64(stats.skippedNoStack))
        spansDropped[.malformed]?.increment(by: Int64(stats.skippedMalformed))
        spansDropped[.overLimit]?.increment(by: Int64(stats.skippedOverLimit))
    }

    func recordRejected(_ format: PayloadFormat) {
        payloadsRejected[format]?.increment()
    }

    /// Counts what one commit did, and how long it took.
    func recordCommit(_ summary: IngestSummary, duration: Duration) {
        commitDuration.record(duration)
        errorEvents[.stored]?.increment(by: Int64(summary.stored))
        errorEvents[.excluded]?.increment(by: Int64(summary.excluded))
        errorEvents[.duplicate]?.increment(by: Int64(summary.duplicates))
        errorEvents[.countedOnly]?.increment(by: Int64(max(0, summary.received - summary.stored - summary.excluded - summary.duplicates)))
        issuesCreated.increment(by: Int64(summary.newIssues))
        regressions.increment(by: Int64(summary.regressions))
    }

    func recordMaintenance(_ summary: MaintenanceSummary) {
        maintenancePasses[true]?.increment()
        eventsDeleted.increment(by: Int64(summary.eventsDeleted))
        issuesAutoResolved.increment(by: Int64(summary.issuesAutoResolved))
    }

    func recordMaintenanceFailure() {
        maintenancePasses[false]?.increment()
    }

    /// The latency histogram of one intake route and answer status.
    func intakeRequestDuration(route: String, status: Int) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.descriptor("faultline_intake_request_duration_seconds", "Intake request latency until the answer is written, by route and status."),
            labels: [("route", route), ("status", String(status))], buckets: Self.requestBuckets)
    }

    /// The latency histogram of one API route (its template, never the raw path), method and status.
    func apiRequestDuration(route: String, method: String, status: Int) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.descriptor(
                "faultline_api_request_duration_seconds", "API request latency until the answer is written, by route template, method and status."),
            labels: [("route", route), ("method", method), ("status", String(status))], buckets: Self.requestBuckets)
    }

    /// A whole metric name (already `faultline_…`) and its `# HELP` text.
    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// The text exposition of every metric.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
