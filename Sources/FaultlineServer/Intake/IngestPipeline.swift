import FaultlineCore
import FaultlineStore
import Foundation
import Logging
import NIOCore

/// Decode → group → commit, shared by the HTTP routes and `faultline ingest`.
public struct IngestPipeline: Sendable {
    /// Which decoder a payload needs.
    public enum PayloadKind: String, Sendable, Hashable, CaseIterable {
        /// Datadog `/v0.4/traces` (msgpack or JSON).
        case datadogV04
        /// Datadog `/v0.5/traces` (msgpack).
        case datadogV05
        /// OTLP/HTTP `/v1/traces` (protobuf or JSON).
        case otlp
    }

    /// What one payload produced.
    public struct Outcome: Sendable {
        public var spansScanned: Int
        public var committed: Int
    }

    let store: IssueStore
    let decoder: any TracePayloadDecoder
    let grouper: Grouper
    /// Called after each commit of new events (wakes the enrichment worker).
    public var onCommit: (@Sendable () -> Void)?

    public init(store: IssueStore, entrySpansOnly: Bool = true, grouper: Grouper = Grouper()) {
        self.init(store: store, decoder: IntakeDecoder(entrySpansOnly: entrySpansOnly), grouper: grouper)
    }

    public init(store: IssueStore, decoder: any TracePayloadDecoder, grouper: Grouper = Grouper()) {
        self.store = store
        self.decoder = decoder
        self.grouper = grouper
    }

    /// Decodes a whole body and returns once its events are committed; a body intake cannot read throws `APIError` 400.
    @discardableResult
    public func ingest(
        body: ByteBuffer, kind: PayloadKind, contentType: String?, clientComputedTopLevel: Bool = false, logger: Logger
    ) async throws -> Outcome {
        try await ingest(bytes: Array(buffer: body), kind: kind, contentType: contentType, clientComputedTopLevel: clientComputedTopLevel, logger: logger)
    }

    /// Same as `ingest(body:…)` over plain bytes.
    @discardableResult
    public func ingest(
        bytes: [UInt8], kind: PayloadKind, contentType: String?, clientComputedTopLevel: Bool = false, logger: Logger
    ) async throws -> Outcome {
        let payload: DecodedPayload
        do {
            payload = try decoder.decode(bytes, kind: kind, contentType: contentType, clientComputedTopLevel: clientComputedTopLevel)
        } catch {
            logger.info("Payload rejected", metadata: ["intake.kind": "\(kind.rawValue)", "intake.reason": "\(error.reason)", "intake.bytes": "\(bytes.count)"])
            throw APIError.badRequest(error.reason)
        }
        let grouped = payload.events.map { grouper.group($0) }
        if !grouped.isEmpty {
            try await store.ingest(grouped)
            onCommit?()
        }
        logger.debug(
            "Payload ingested",
            metadata: [
                "intake.kind": "\(kind.rawValue)",
                "intake.spans": "\(payload.spansScanned)",
                "intake.events": "\(grouped.count)",
                "intake.skipped.not_entry": "\(payload.skippedNotEntry)",
                "intake.skipped.no_stack": "\(payload.skippedNoStack)",
                "intake.skipped.malformed": "\(payload.skippedMalformed)",
            ]
        )
        return Outcome(spansScanned: payload.spansScanned, committed: grouped.count)
    }
}
