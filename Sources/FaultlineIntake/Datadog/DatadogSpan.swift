/// One Datadog span with every field intake uses, decoded only for spans that may become events.
struct DatadogSpan: Sendable {
    var service: String = ""
    var name: String?
    var resource: String?
    var traceID: UInt64 = 0
    var spanID: UInt64 = 0
    var parentID: UInt64 = 0
    var start: Int64 = 0
    var duration: Int64 = 0
    var error: Int64 = 0
    var meta: [String: String] = [:]
    var metrics: [String: Double] = [:]
    var type: String?
}
