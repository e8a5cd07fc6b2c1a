/// Writes msgpack for hand-built test payloads (the real ones come from ddtrace).
indirect enum MessagePack: Sendable {
    case string(String)
    case unsigned(UInt64)
    case signed(Int64)
    case double(Double)
    case array([MessagePack])
    case map([(MessagePack, MessagePack)])
    case nil_

    var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .nil_:
            out.append(0xc0)
        case .string(let text):
            let utf8 = Array(text.utf8)
            if utf8.count < 32 {
                out.append(0xa0 | UInt8(utf8.count))
            } else if utf8.count < 256 {
                out += [0xd9, UInt8(utf8.count)]
            } else {
                out.append(0xdb)
                Self.bigEndian(UInt64(utf8.count), width: 4, into: &out)
            }
            out += utf8
        case .unsigned(let value):
            if value < 128 {
                out.append(UInt8(value))
            } else {
                out.append(0xcf)
                Self.bigEndian(value, width: 8, into: &out)
            }
        case .signed(let value):
            out.append(0xd3)
            Self.bigEndian(UInt64(bitPattern: value), width: 8, into: &out)
        case .double(let value):
            out.append(0xcb)
            Self.bigEndian(value.bitPattern, width: 8, into: &out)
        case .array(let values):
            out.append(0xdd)
            Self.bigEndian(UInt64(values.count), width: 4, into: &out)
            for value in values { value.write(into: &out) }
        case .map(let pairs):
            out.append(0xdf)
            Self.bigEndian(UInt64(pairs.count), width: 4, into: &out)
            for (key, value) in pairs {
                key.write(into: &out)
                value.write(into: &out)
            }
        }
    }

    static func bigEndian(_ value: UInt64, width: Int, into out: inout [UInt8]) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}

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
