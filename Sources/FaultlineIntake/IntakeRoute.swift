/// The tracer-facing routes intake serves, each with the payload formats it accepts.
public enum IntakeRoute: String, Sendable, Hashable, CaseIterable {
    /// Datadog agent v0.4: msgpack or JSON arrays of traces.
    case datadogV04 = "/v0.4/traces"
    /// Datadog agent v0.5: msgpack `[string table, traces]`.
    case datadogV05 = "/v0.5/traces"
    /// OTLP/HTTP trace export: protobuf or JSON.
    case otlpTraces = "/v1/traces"

    /// The route's path.
    public var path: String { rawValue }

    /// The formats this route accepts, the one a request without a content type gets first.
    public var formats: [PayloadFormat] {
        PayloadFormat.allCases.filter { $0.route == self }
    }

    /// The format a request's `Content-Type` header asks for on this route, as the Datadog agent and
    /// the OpenTelemetry collector read it: media type only, case-insensitive, parameters ignored; no
    /// header (or an empty one) means the route's binary format. Anything else throws an
    /// `.unsupportedMediaType` error naming what the route accepts.
    public func format(contentType: String?) throws(IntakeError) -> PayloadFormat {
        let mediaType = Self.mediaType(of: contentType)
        let candidates = formats
        if mediaType.isEmpty, let binary = candidates.first(where: \.acceptsMissingContentType) {
            return binary
        }
        if let format = candidates.first(where: { $0.mediaTypes.contains(mediaType) }) {
            return format
        }
        let accepted = candidates.map(\.mediaTypes[0]).joined(separator: " or ")
        throw IntakeError("unsupported Content-Type '\(mediaType)' for \(rawValue) (send \(accepted))", kind: .unsupportedMediaType)
    }

    /// `application/json; charset=utf-8` → `application/json`; nil or blank → "".
    static func mediaType(of header: String?) -> String {
        guard let header else { return "" }
        let essence = header.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return essence.trimmingWhitespace().lowercased()
    }
}
