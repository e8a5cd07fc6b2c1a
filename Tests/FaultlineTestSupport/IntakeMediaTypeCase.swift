import Foundation

/// One row of the media-type table every intake entry point is tested with: the HTTP routes through
/// the router, `faultline ingest` through the binary, and `IntakeRoute` directly. What the Datadog
/// agent and the OpenTelemetry collector accept is accepted; anything else is refused (415).
public struct IntakeMediaTypeCase: Sendable, CustomStringConvertible {
    /// The route path, e.g. `/v0.4/traces`.
    public var route: String
    /// The `Content-Type` header sent, nil for none.
    public var contentType: String?
    /// A real payload of the expected format, relative to `Tests/Fixtures`.
    public var fixture: String
    /// The `PayloadFormat` raw value (and `faultline ingest --format`) the request selects; nil when refused.
    public var format: String?

    /// The row as a test argument's name.
    public var description: String { "\(route) \(contentType ?? "(no Content-Type)")" }

    /// The fixture's location.
    public var fixtureURL: URL { Self.fixtures.appendingPathComponent(fixture) }

    /// `Tests/Fixtures`.
    public static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let v04 = "server/ddtrace-python-v04.msgpack"
    static let v04JSON = "intake/ddtrace-v04/payload-ddtrace-json.json"
    static let v05 = "server/ddtrace-python-v05.msgpack"
    static let otlpProtobuf = "server/otel-python.pb"
    static let otlpJSON = "server/otel-python.json"

    /// Every row.
    public static let all: [IntakeMediaTypeCase] = [
        // Datadog v0.4: msgpack under any binary name or none, JSON under its two names.
        .init(route: "/v0.4/traces", contentType: "application/msgpack", fixture: v04, format: "v04"),
        .init(route: "/v0.4/traces", contentType: "application/octet-stream", fixture: v04, format: "v04"),
        .init(route: "/v0.4/traces", contentType: nil, fixture: v04, format: "v04"),
        .init(route: "/v0.4/traces", contentType: "application/x-msgpack", fixture: v04, format: "v04"),
        .init(route: "/v0.4/traces", contentType: "application/vnd.msgpack", fixture: v04, format: "v04"),
        .init(route: "/v0.4/traces", contentType: "application/json", fixture: v04JSON, format: "v04-json"),
        .init(route: "/v0.4/traces", contentType: "Application/JSON; charset=utf-8", fixture: v04JSON, format: "v04-json"),
        .init(route: "/v0.4/traces", contentType: "text/json", fixture: v04JSON, format: "v04-json"),
        .init(route: "/v0.4/traces", contentType: "text/plain", fixture: v04, format: nil),
        .init(route: "/v0.4/traces", contentType: "application/x-protobuf", fixture: v04, format: nil),
        // Datadog v0.5: msgpack only.
        .init(route: "/v0.5/traces", contentType: "application/msgpack", fixture: v05, format: "v05"),
        .init(route: "/v0.5/traces", contentType: "application/octet-stream", fixture: v05, format: "v05"),
        .init(route: "/v0.5/traces", contentType: nil, fixture: v05, format: "v05"),
        .init(route: "/v0.5/traces", contentType: "application/x-msgpack", fixture: v05, format: "v05"),
        .init(route: "/v0.5/traces", contentType: "application/vnd.msgpack", fixture: v05, format: "v05"),
        .init(route: "/v0.5/traces", contentType: "application/json", fixture: v04JSON, format: nil),
        .init(route: "/v0.5/traces", contentType: "text/plain", fixture: v05, format: nil),
        // OTLP/HTTP: the collector's protobuf and JSON types; protobuf when none is sent.
        .init(route: "/v1/traces", contentType: "application/x-protobuf", fixture: otlpProtobuf, format: "otlp-proto"),
        .init(route: "/v1/traces", contentType: "application/protobuf", fixture: otlpProtobuf, format: "otlp-proto"),
        .init(route: "/v1/traces", contentType: nil, fixture: otlpProtobuf, format: "otlp-proto"),
        .init(route: "/v1/traces", contentType: "application/json", fixture: otlpJSON, format: "otlp-json"),
        .init(route: "/v1/traces", contentType: "application/json; charset=utf-8", fixture: otlpJSON, format: "otlp-json"),
        .init(route: "/v1/traces", contentType: "application/octet-stream", fixture: otlpProtobuf, format: nil),
        .init(route: "/v1/traces", contentType: "application/msgpack", fixture: otlpProtobuf, format: nil),
        .init(route: "/v1/traces", contentType: "application/vnd.google.protobuf", fixture: otlpProtobuf, format: nil),
        .init(route: "/v1/traces", contentType: "text/plain", fixture: otlpJSON, format: nil),
    ]

    /// The rows a route accepts.
    public static var accepted: [IntakeMediaTypeCase] { all.filter { $0.format != nil } }

    /// The rows a route refuses with 415.
    public static var refused: [IntakeMediaTypeCase] { all.filter { $0.format == nil } }

    /// One accepted row per format, for entry points that choose a format rather than a media type.
    public static var oneRowPerFormat: [IntakeMediaTypeCase] {
        var seen: Set<String> = []
        return accepted.filter { seen.insert($0.format ?? "").inserted }
    }
}
