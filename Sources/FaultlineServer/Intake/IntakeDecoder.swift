import FaultlineCore

/// The decoder the server uses: FaultlineIntake's Datadog and OTLP decoders.
struct IntakeDecoder: TracePayloadDecoder {
    let entrySpansOnly: Bool

    func decode(_ bytes: [UInt8], kind: IngestPipeline.PayloadKind, contentType: String?) throws(PayloadRejected) -> DecodedPayload {
        // Placeholder until branch `intake` lands.
        throw PayloadRejected(reason: "intake is not available in this build")
    }
}
