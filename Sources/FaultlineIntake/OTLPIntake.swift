import FaultlineCore

/// Decodes OTLP/HTTP trace exports (`/v1/traces`) into error events, choosing the `PayloadFormat`
/// from the request's content type as the route does.
public struct OTLPIntake: Sendable {
    /// The rule applied to every payload.
    public var options: IntakeOptions

    /// An intake applying `options`.
    public init(options: IntakeOptions = .init()) {
        self.options = options
    }

    /// Decodes one request body: `application/x-protobuf` (the default) or `application/json`.
    public func decode(_ body: [UInt8], contentType: String?) throws(IntakeError) -> IntakeBatch {
        try IntakeRoute.otlpTraces.format(contentType: contentType).decode(body, options: options)
    }
}
