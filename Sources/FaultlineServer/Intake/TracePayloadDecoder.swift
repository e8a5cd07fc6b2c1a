import FaultlineCore

/// What one payload held after decoding: its error events and how many spans were scanned and skipped.
public struct DecodedPayload: Sendable {
    public var events: [ErrorEvent]
    public var spansScanned: Int
    public var skippedNotEntry: Int
    public var skippedNoStack: Int
    public var skippedMalformed: Int

    public init(events: [ErrorEvent], spansScanned: Int, skippedNotEntry: Int = 0, skippedNoStack: Int = 0, skippedMalformed: Int = 0) {
        self.events = events
        self.spansScanned = spansScanned
        self.skippedNotEntry = skippedNotEntry
        self.skippedNoStack = skippedNoStack
        self.skippedMalformed = skippedMalformed
    }
}

/// A payload the decoder could not read at all; answered 400 with the reason.
public struct PayloadRejected: Error, Sendable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

/// Turns a tracer payload into error events (the intake module behind an adapter).
public protocol TracePayloadDecoder: Sendable {
    /// `clientComputedTopLevel`: the Datadog tracer sent `Datadog-Client-Computed-Top-Level`, so its `_dd.top_level`
    /// marks are the entry spans (a partial flush's rootless chunk holds none).
    func decode(_ bytes: [UInt8], kind: IngestPipeline.PayloadKind, contentType: String?, clientComputedTopLevel: Bool) throws(PayloadRejected) -> DecodedPayload
}
