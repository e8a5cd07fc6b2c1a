/// What the cheap first pass learns about a span without building it.
struct DatadogSpanSummary {
    var spanID: UInt64 = 0
    var parentID: UInt64 = 0
    /// Bytes of the service name in the body (msgpack), or an index into decoded spans (JSON).
    var service: Range<Int> = 0..<0
    var isError = false
    var isMalformed = false
    /// Where the span starts in the body, to decode it fully later.
    var position: Int = 0
}
