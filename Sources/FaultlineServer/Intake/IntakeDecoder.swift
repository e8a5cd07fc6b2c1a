import HTTPTypes
import FaultlineCore
import FaultlineIntake

/// The decoder the server uses: FaultlineIntake's Datadog and OTLP decoders behind the server's seam.
struct IntakeDecoder: TracePayloadDecoder {
    let datadog: DatadogIntake
    let otlp: OTLPIntake

    init(entrySpansOnly: Bool) {
        let options = IntakeOptions(entrySpansOnly: entrySpansOnly)
        datadog = DatadogIntake(options: options)
        otlp = OTLPIntake(options: options)
    }

    /// Sent by dd-trace when it marked each service entry span with `_dd.top_level` itself.
    static let clientComputedTopLevelHeader = HTTPField.Name("Datadog-Client-Computed-Top-Level")

    /// Whether a `Datadog-Client-Computed-Top-Level` header value asks intake to trust `_dd.top_level`.
    static func clientComputedTopLevel(header: String?) -> Bool {
        DatadogIntake.clientComputedTopLevel(header: header)
    }

    func decode(_ bytes: [UInt8], kind: IngestPipeline.PayloadKind, contentType: String?, clientComputedTopLevel: Bool) throws(PayloadRejected) -> DecodedPayload {
        let batch: IntakeBatch
        do {
            switch kind {
            case .datadogV04: batch = try datadog.decode(bytes, format: .v04, contentType: contentType, clientComputedTopLevel: clientComputedTopLevel)
            case .datadogV05: batch = try datadog.decode(bytes, format: .v05, contentType: contentType, clientComputedTopLevel: clientComputedTopLevel)
            case .otlp: batch = try otlp.decode(bytes, contentType: contentType)
            }
        } catch {
            throw PayloadRejected(reason: error.reason)
        }
        return DecodedPayload(
            events: batch.events,
            spansScanned: batch.stats.spansScanned,
            skippedNotEntry: batch.stats.skippedNotEntry,
            skippedNoStack: batch.stats.skippedNoStack,
            skippedMalformed: batch.stats.skippedMalformed
        )
    }
}
