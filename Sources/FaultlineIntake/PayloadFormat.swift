import FaultlineCore
import SwiftProtobuf

/// Every tracer payload format intake reads: its route, the media types that select it and its
/// decoder. The HTTP routes and `faultline ingest` both go through this one type.
public enum PayloadFormat: String, Sendable, Hashable, CaseIterable {
    /// Datadog v0.4 msgpack (dd-trace-js, dd-trace-java, ddtrace with `DD_TRACE_API_VERSION=v0.4`).
    case datadogV04 = "v04"
    /// Datadog v0.4 JSON.
    case datadogV04JSON = "v04-json"
    /// Datadog v0.5 msgpack (Python's ddtrace default).
    case datadogV05 = "v05"
    /// OTLP/HTTP protobuf (the SDKs' default).
    case otlpProtobuf = "otlp-proto"
    /// OTLP/HTTP JSON (protobuf JSON mapping, ids as hex).
    case otlpJSON = "otlp-json"

    /// The route a tracer sends this format to.
    public var route: IntakeRoute {
        switch self {
        case .datadogV04, .datadogV04JSON: .datadogV04
        case .datadogV05: .datadogV05
        case .otlpProtobuf, .otlpJSON: .otlpTraces
        }
    }

    /// The media types that select this format on its route, the canonical one first. The Datadog
    /// agent reads msgpack whatever the binary type is called; OTLP uses the collector's types.
    public var mediaTypes: [String] {
        switch self {
        case .datadogV04, .datadogV05:
            ["application/msgpack", "application/octet-stream", "application/x-msgpack", "application/vnd.msgpack"]
        case .datadogV04JSON: ["application/json", "text/json"]
        case .otlpProtobuf: ["application/x-protobuf", "application/protobuf"]
        case .otlpJSON: ["application/json"]
        }
    }

    /// Whether a request without a `Content-Type` gets this format (the route's binary one).
    public var acceptsMissingContentType: Bool {
        switch self {
        case .datadogV04, .datadogV05, .otlpProtobuf: true
        case .datadogV04JSON, .otlpJSON: false
        }
    }

    /// Whether the body is JSON text.
    public var isJSON: Bool {
        self == .datadogV04JSON || self == .otlpJSON
    }

    /// Decodes one whole body into error events.
    ///
    /// `clientComputedTopLevel` (Datadog only): the request carried `Datadog-Client-Computed-Top-Level`
    /// (see `DatadogIntake.clientComputedTopLevel(header:)`). The tracer then marked every service
    /// entry span with `_dd.top_level`, and, like the agent, intake trusts that mark instead of
    /// inferring entries from parents, so a child flushed without its parent is not taken for an entry.
    ///
    /// Every event is cut to `limits`, and events beyond the payload's budget are dropped and counted.
    public func decode(
        _ body: [UInt8], options: IntakeOptions = .init(), clientComputedTopLevel: Bool = false, limits: IntakeLimits = .default
    ) throws(IntakeError) -> IntakeBatch {
        var batch = try decodeWhole(body, options: options, clientComputedTopLevel: clientComputedTopLevel)
        batch.apply(limits)
        return batch
    }

    private func decodeWhole(_ body: [UInt8], options: IntakeOptions, clientComputedTopLevel: Bool) throws(IntakeError) -> IntakeBatch {
        switch self {
        case .datadogV04JSON:
            let rule = DatadogChunkRule(options: options, trustsTopLevelMark: clientComputedTopLevel)
            return try DatadogJSONDecoder(rule: rule).decode(body)
        case .datadogV04, .datadogV05:
            let rule = DatadogChunkRule(options: options, trustsTopLevelMark: clientComputedTopLevel)
            let decoder = DatadogMessagePackDecoder(rule: rule)
            let version: DatadogTraceFormat = self == .datadogV04 ? .v04 : .v05
            let result = body.withUnsafeBytes { bytes in
                Result { () throws(IntakeError) -> IntakeBatch in try decoder.decode(bytes, format: version) }
            }
            return try result.get()
        case .otlpProtobuf:
            return try Self.extractOTLP(body, options: options)
        case .otlpJSON:
            // Transcoded span by span, so memory follows the largest span rather than the body.
            let protobuf = try OTLPJSONTranscoder.protobuf(body)
            return try Self.extractOTLP(protobuf, options: options)
        }
    }

    private static func extractOTLP(_ protobuf: [UInt8], options: IntakeOptions) throws(IntakeError) -> IntakeBatch {
        let extractor = OTLPEventExtractor(options: options)
        let result = protobuf.withUnsafeBytes { bytes in
            Result { () throws(IntakeError) -> IntakeBatch in try extractor.extract(bytes) }
        }
        return try result.get()
    }
}
