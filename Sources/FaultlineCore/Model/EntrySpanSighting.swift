/// One service entry span as intake saw it, error or not: what deployment tracking counts per
/// (service, env, version) and hour, and what tells auto-resolution a version runs clean.
public struct EntrySpanSighting: Sendable, Hashable {
    public var service: String
    public var env: String?
    public var version: String?
    /// Span start, nanoseconds since 1970 (0 when the tracer sent none).
    public var startNanos: Int64
    /// The span has error = 1 (Datadog) or status ERROR (OTLP).
    public var isError: Bool

    public init(service: String, env: String?, version: String?, startNanos: Int64, isError: Bool) {
        self.service = service
        self.env = env
        self.version = version
        self.startNanos = startNanos
        self.isError = isError
    }
}
