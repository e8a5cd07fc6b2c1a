import FaultlineTestSupport

/// The shared writer under the name this target's tests use.
typealias MessagePack = FaultlineTestSupport.MessagePack

/// A v0.4 span map with the fields intake reads.
func v04Span(
    service: String = "checkout", name: String = "web.request", resource: String = "GET /",
    traceID: UInt64 = 1, spanID: UInt64, parentID: UInt64 = 0, error: Int64 = 0,
    meta: [String: String] = [:], metrics: [String: Double] = [:]
) -> MessagePack {
    .map([
        (.string("service"), .string(service)),
        (.string("name"), .string(name)),
        (.string("resource"), .string(resource)),
        (.string("trace_id"), .unsigned(traceID)),
        (.string("span_id"), .unsigned(spanID)),
        (.string("parent_id"), .unsigned(parentID)),
        (.string("start"), .signed(1_700_000_000_000_000_000)),
        (.string("duration"), .signed(1_500)),
        (.string("error"), .signed(error)),
        (.string("meta"), .map(meta.sorted { $0.key < $1.key }.map { (.string($0.key), .string($0.value)) })),
        (.string("metrics"), .map(metrics.sorted { $0.key < $1.key }.map { (.string($0.key), .double($0.value)) })),
    ])
}

let pythonStack = """
    Traceback (most recent call last):
      File "/app/views.py", line 10, in handle
        raise ValueError("bad")
    ValueError: bad
    """

let errorMeta = ["error.type": "builtins.ValueError", "error.message": "bad", "error.stack": pythonStack]
