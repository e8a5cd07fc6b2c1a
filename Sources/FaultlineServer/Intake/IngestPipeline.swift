import FaultlineCore
import FaultlineIntake
import FaultlineStore
import Foundation
import Logging

/// Decode → group → commit, shared by the HTTP routes and `faultline ingest`.
public struct IngestPipeline: Sendable {
    /// What one payload produced.
    public struct Outcome: Sendable {
        /// Every span in the payload.
        public var spansScanned: Int
        /// Error events committed.
        public var committed: Int
    }

    let store: IssueStore
    let options: IntakeOptions
    let grouper: Grouper
    /// Called after each commit of new events (wakes the enrichment worker).
    public var onCommit: (@Sendable () -> Void)?
    /// Where entry spans are counted for versions and error rates; nil writes each payload's counts at once
    /// (`faultline ingest`).
    public var traffic: TrafficRecorder?
    /// Where payloads, spans and commits are counted (`/metrics`); nil counts nothing (`faultline ingest`).
    public var metrics: ServerMetrics?

    /// A pipeline into `store`; `entrySpansOnly` follows Datadog's rule.
    public init(store: IssueStore, entrySpansOnly: Bool = true, grouper: Grouper = Grouper()) {
        self.store = store
        self.options = IntakeOptions(entrySpansOnly: entrySpansOnly)
        self.grouper = grouper
    }

    /// Decodes a whole body and returns once its events are committed. A body that is not a payload
    /// of `format` throws intake's `IntakeError`; store failures throw the store's error.
    @discardableResult
    public func ingest(
        bytes: [UInt8], format: PayloadFormat, clientComputedTopLevel: Bool = false, logger: Logger
    ) async throws -> Outcome {
        let batch: IntakeBatch
        do {
            batch = try format.decode(bytes, options: options, clientComputedTopLevel: clientComputedTopLevel)
        } catch {
            logger.info("Payload rejected", metadata: ["intake.format": "\(format.rawValue)", "intake.reason": "\(error.reason)", "intake.bytes": "\(bytes.count)"])
            metrics?.recordRejected(format)
            throw error
        }
        metrics?.recordPayload(format, stats: batch.stats)
        let grouped = grouper.group(batch.events)
        if !grouped.isEmpty {
            let started = ContinuousClock.now
            let summary = try await store.ingest(grouped)
            metrics?.recordCommit(summary, duration: ContinuousClock.now - started)
            onCommit?()
        }
        if !batch.entrySpans.isEmpty {
            if let traffic {
                await traffic.add(batch.entrySpans)
            } else {
                try await store.recordTraffic(TrafficCount.aggregate(batch.entrySpans))
            }
        }
        logger.debug(
            "Payload ingested",
            metadata: [
                "intake.format": "\(format.rawValue)",
                "intake.spans": "\(batch.stats.spansScanned)",
                "intake.events": "\(grouped.count)",
                "intake.skipped.not_entry": "\(batch.stats.skippedNotEntry)",
                "intake.skipped.no_stack": "\(batch.stats.skippedNoStack)",
                "intake.skipped.malformed": "\(batch.stats.skippedMalformed)",
                "intake.skipped.over_limit": "\(batch.stats.skippedOverLimit)",
            ]
        )
        return Outcome(spansScanned: batch.stats.spansScanned, committed: grouped.count)
    }
}
