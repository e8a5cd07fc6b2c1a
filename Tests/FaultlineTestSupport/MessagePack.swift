/// Writes msgpack for hand-built test payloads and benchmark inputs (the real ones come from ddtrace).
///
/// `bytes` uses wide headers (32-bit array and map lengths, 64-bit integers), so tests exercise the
/// forms tracers rarely send; `compactBytes` uses the fix forms where they fit (as ddtrace does for
/// small spans) and 32-bit lengths and integers otherwise, the shape the intake benchmark measures.
public indirect enum MessagePack: Sendable {
    case string(String)
    case unsigned(UInt64)
    case signed(Int64)
    case double(Double)
    case array([MessagePack])
    case map([(MessagePack, MessagePack)])
    case nil_

    /// The value with the widest headers.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out, compact: false)
        return out
    }

    /// The value with fix headers where they fit, 32-bit lengths otherwise.
    public var compactBytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out, compact: true)
        return out
    }

    /// Appends the value to `out`; `compact` picks the forms of `compactBytes`.
    public func write(into out: inout [UInt8], compact: Bool = false) {
        switch self {
        case .nil_:
            out.append(0xc0)
        case .string(let text):
            let utf8 = Array(text.utf8)
            if utf8.count < 32 {
                out.append(0xa0 | UInt8(utf8.count))
            } else if utf8.count < 256 && !compact {
                out += [0xd9, UInt8(utf8.count)]
            } else {
                out.append(0xdb)
                Self.bigEndian(UInt64(utf8.count), width: 4, into: &out)
            }
            out += utf8
        case .unsigned(let value):
            if value < 128 {
                out.append(UInt8(value))
            } else if compact && value <= UInt64(UInt32.max) {
                out.append(0xce)
                Self.bigEndian(value, width: 4, into: &out)
            } else {
                out.append(0xcf)
                Self.bigEndian(value, width: 8, into: &out)
            }
        case .signed(let value):
            if compact && value >= 0 {
                MessagePack.unsigned(UInt64(value)).write(into: &out, compact: true)
            } else {
                out.append(0xd3)
                Self.bigEndian(UInt64(bitPattern: value), width: 8, into: &out)
            }
        case .double(let value):
            out.append(0xcb)
            Self.bigEndian(value.bitPattern, width: 8, into: &out)
        case .array(let values):
            if compact && values.count < 16 {
                out.append(0x90 | UInt8(values.count))
            } else {
                out.append(0xdd)
                Self.bigEndian(UInt64(values.count), width: 4, into: &out)
            }
            for value in values { value.write(into: &out, compact: compact) }
        case .map(let pairs):
            if compact && pairs.count < 16 {
                out.append(0x80 | UInt8(pairs.count))
            } else {
                out.append(0xdf)
                Self.bigEndian(UInt64(pairs.count), width: 4, into: &out)
            }
            for (key, value) in pairs {
                key.write(into: &out, compact: compact)
                value.write(into: &out, compact: compact)
            }
        }
    }

    /// Appends `value`'s low `width` bytes, most significant first.
    public static func bigEndian(_ value: UInt64, width: Int, into out: inout [UInt8]) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
