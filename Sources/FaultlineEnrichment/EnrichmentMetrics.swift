import CoreMetrics

/// Clone and fetch durations and failures, counted through swift-metrics into whatever factory the
/// server hands in (its own Prometheus registry); the no-op factory when none is.
struct MirrorTransferMetrics: Sendable {
    enum Operation: String {
        case clone
        case fetch
    }

    private let durations: [String: CoreMetrics.Timer]
    private let failures: [String: Counter]

    init(factory: any MetricsFactory) {
        let operations = [Operation.clone, .fetch].map(\.rawValue)
        durations = Dictionary(uniqueKeysWithValues: operations.map { operation in
            (operation, CoreMetrics.Timer(label: "faultline_mirror_transfer_duration_seconds", dimensions: [("operation", operation)], factory: factory))
        })
        failures = Dictionary(uniqueKeysWithValues: operations.map { operation in
            (operation, Counter(label: "faultline_mirror_transfer_failures_total", dimensions: [("operation", operation)], factory: factory))
        })
    }

    /// Records one finished transfer that began at `started`.
    func record(_ operation: Operation, since started: ContinuousClock.Instant, failed: Bool) {
        durations[operation.rawValue]?.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        if failed { failures[operation.rawValue]?.increment() }
    }
}

/// The enrichment worker's results: frames by status, and what became of each issue's enrichment.
struct EnrichmentResultMetrics: Sendable {
    enum Result: String, CaseIterable {
        /// Stored, final.
        case stored
        /// Stored, with a retry scheduled (repository unreachable, commit not pushed yet).
        case retryScheduled = "retry_scheduled"
        /// Could not be stored.
        case storeFailed = "store_failed"
    }

    private let frames: [FrameSourceStatus: Counter]
    private let results: [Result: Counter]

    init(factory: any MetricsFactory) {
        frames = Dictionary(uniqueKeysWithValues: FrameSourceStatus.allCases.map { status in
            (status, Counter(label: "faultline_enrichment_frames_total", dimensions: [("status", status.rawValue)], factory: factory))
        })
        results = Dictionary(uniqueKeysWithValues: Result.allCases.map { result in
            (result, Counter(label: "faultline_enrichment_results_total", dimensions: [("result", result.rawValue)], factory: factory))
        })
    }

    func record(_ result: Result, trace: EnrichedTrace?) {
        results[result]?.increment()
        guard let trace else { return }
        for frame in trace.exceptions.joined() {
            frames[frame.status]?.increment()
        }
    }
}

extension Duration {
    /// Whole nanoseconds, for swift-metrics timers.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
