import FaultlineCore

/// Decodes Datadog trace-agent payloads (`/v0.4/traces`, `/v0.5/traces`) into error events.
public struct DatadogIntake: Sendable {
    public var options: IntakeOptions

    public init(options: IntakeOptions = .init()) {
        self.options = options
    }

    /// Decodes one request body: msgpack, or JSON for v0.4 when `contentType` is `application/json`.
    public func decode(_ body: [UInt8], format: DatadogTraceFormat, contentType: String?) throws(IntakeError) -> IntakeBatch {
        let rule = DatadogChunkRule(options: options)
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
