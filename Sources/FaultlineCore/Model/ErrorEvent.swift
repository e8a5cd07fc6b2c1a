/// An error as one service entry span reported it: what intake extracts and grouping consumes.
public struct ErrorEvent: Sendable, Hashable, Codable {
    /// Where the span came from.
    public enum Origin: String, Sendable, Hashable, Codable {
        case datadog
        case otlp
        case file
    }

    /// Trace id as lowercase hex (128-bit when the tracer sent the upper half, else 64-bit).
    public var traceID: String
    /// Span id as lowercase hex.
    public var spanID: String
    public var service: String
    public var env: String?
    public var version: String?
    public var resource: String?
    /// Operation (Datadog span name, OTel span name).
    public var operation: String?
    /// Span start, nanoseconds since the Unix epoch.
    public var startNanos: Int64
    public var durationNanos: Int64

    public var errorType: String
    public var errorMessage: String
    /// The stack trace text exactly as the tracer sent it.
    public var errorStack: String
    /// The span's `language` tag, when present.
    public var language: String?
    /// The span's `error.fingerprint` tag: overrides the computed fingerprint.
    public var fingerprintOverride: String?

    public var spanTags: [String: String]
    public var hostTags: [String: String]
    public var containerTags: [String: String]
    public var metrics: [String: Double]
    public var git: GitLink?
    public var origin: Origin
    /// The span the error was read from when it is not the entry span itself: a framework's view or handler
    /// span below the request span that only marked `error = 1`, or the deepest of nested spans that recorded
    /// the same exception. Nil when the event's own span carried it.
    public var errorSpan: ErrorSpan?

    /// A span below the event's span that carried its error.
    public struct ErrorSpan: Sendable, Hashable, Codable {
        /// Span id as lowercase hex.
        public var spanID: String
        /// The span's operation name (`flask.dispatch_request`, `django.view`).
        public var operation: String?
        /// The span's resource.
        public var resource: String?
        /// The service the tracer named on that span (an integration's, such as `sqlite`, for client spans).
        public var service: String

        public init(spanID: String, operation: String?, resource: String?, service: String) {
            self.spanID = spanID
            self.operation = operation
            self.resource = resource
            self.service = service
        }
    }

    public init(
        traceID: String,
        spanID: String,
        service: String,
        env: String? = nil,
        version: String? = nil,
        resource: String? = nil,
        operation: String? = nil,
        startNanos: Int64 = 0,
        durationNanos: Int64 = 0,
        errorType: String,
        errorMessage: String,
        errorStack: String,
        language: String? = nil,
        fingerprintOverride: String? = nil,
        spanTags: [String: String] = [:],
        hostTags: [String: String] = [:],
        containerTags: [String: String] = [:],
        metrics: [String: Double] = [:],
        git: GitLink? = nil,
        origin: Origin = .datadog,
        errorSpan: ErrorSpan? = nil
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.service = service
        self.env = env
        self.version = version
        self.resource = resource
        self.operation = operation
        self.startNanos = startNanos
        self.durationNanos = durationNanos
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.errorStack = errorStack
        self.language = language
        self.fingerprintOverride = fingerprintOverride
        self.spanTags = spanTags
        self.hostTags = hostTags
        self.containerTags = containerTags
        self.metrics = metrics
        self.git = git
        self.origin = origin
        self.errorSpan = errorSpan
    }
}
