import FaultlineCore

/// Decodes Datadog trace-agent payloads (`/v0.4/traces`, `/v0.5/traces`) into error events, choosing
/// the `PayloadFormat` from the request's content type as the route does.
public struct DatadogIntake: Sendable {
    /// The rule applied to every payload.
    public var options: IntakeOptions

    /// An intake applying `options`.
    public init(options: IntakeOptions = .init()) {
        self.options = options
    }

    /// Decodes one request body: msgpack, or JSON for v0.4 when `contentType` is `application/json`.
    /// `clientComputedTopLevel`: see `PayloadFormat.decode(_:options:clientComputedTopLevel:)`.
    public func decode(
        _ body: [UInt8], format: DatadogTraceFormat, contentType: String?, clientComputedTopLevel: Bool = false
    ) throws(IntakeError) -> IntakeBatch {
        let route: IntakeRoute = format == .v04 ? .datadogV04 : .datadogV05
        return try route.format(contentType: contentType).decode(body, options: options, clientComputedTopLevel: clientComputedTopLevel)
    }
}

extension DatadogIntake {
    /// Whether a `Datadog-Client-Computed-Top-Level` header value means yes: any non-empty value, as the agent reads it.
    public static func clientComputedTopLevel(header: String?) -> Bool {
        guard let header else { return false }
        return !header.trimmingWhitespace().isEmpty
    }

    /// The header dd-trace sends when it marked each service entry span with `_dd.top_level` itself.
    public static let clientComputedTopLevelHeader = "Datadog-Client-Computed-Top-Level"
}
