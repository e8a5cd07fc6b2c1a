import FaultlineCore

/// Decodes Datadog trace-agent payloads (`/v0.4/traces`, `/v0.5/traces`) into error events.
public struct DatadogIntake: Sendable {
    /// The rule applied to every payload.
    public var options: IntakeOptions

    /// An intake applying `options`.
    public init(options: IntakeOptions = .init()) {
        self.options = options
    }

    /// Decodes one request body: msgpack, or JSON for v0.4 when `contentType` is `application/json`.
    ///
    /// `clientComputedTopLevel`: the request carried `Datadog-Client-Computed-Top-Level` (see
    /// `clientComputedTopLevel(header:)`). The tracer then marked every service entry span with
    /// `_dd.top_level`, and, like the agent, intake trusts that mark instead of inferring entries from
    /// parents, so a child flushed without its parent (partial flush) is not taken for an entry.
    public func decode(
        _ body: [UInt8], format: DatadogTraceFormat, contentType: String?, clientComputedTopLevel: Bool = false
    ) throws(IntakeError) -> IntakeBatch {
        let rule = DatadogChunkRule(options: options, trustsTopLevelMark: clientComputedTopLevel)
        switch try DatadogContentType(contentType, format: format) {
        case .json:
            return try DatadogJSONDecoder(rule: rule).decode(body)
        case .msgpack:
            let decoder = DatadogMessagePackDecoder(rule: rule)
            let result = body.withUnsafeBytes { bytes in
                Result { () throws(IntakeError) -> IntakeBatch in try decoder.decode(bytes, format: format) }
            }
            return try result.get()
        }
    }
}

extension DatadogIntake {
    /// Whether a `Datadog-Client-Computed-Top-Level` header value means yes: any non-empty value, as the agent reads it.
    public static func clientComputedTopLevel(header: String?) -> Bool {
        guard let header else { return false }
        return !header.trimmingWhitespace().isEmpty
    }
}

/// The body encodings a trace endpoint accepts.
enum DatadogContentType {
    case msgpack
    case json

    init(_ header: String?, format: DatadogTraceFormat) throws(IntakeError) {
        let mediaType = (header ?? "").split(separator: ";", maxSplits: 1).first.map { $0.trimmingWhitespace().lowercased() } ?? ""
        switch mediaType {
        case "", "application/msgpack", "application/x-msgpack", "application/vnd.msgpack", "application/octet-stream":
            self = .msgpack
        case "application/json", "text/json":
            guard format == .v04 else {
                throw IntakeError("\(format.rawValue): JSON bodies are accepted on v0.4 only; send application/msgpack")
            }
            self = .json
        default:
            throw IntakeError("\(format.rawValue): unsupported content type \(mediaType); send application/msgpack")
        }
    }
}
