/// A bounds-checked msgpack cursor over a body that stays alive for the reader's whole use.
///
/// Lenient where tracers are: any integer width or sign, floats where a number is expected, `str`
/// or `bin` where a string is, `nil` for an absent value. A value of the wrong kind is skipped and
/// reported as `nil` so the caller can count one span malformed; only a body that breaks the
/// msgpack structure (truncated, reserved byte) throws. Nothing here recurses.
struct MessagePackReader: ByteCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int

    init(bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var isAtEnd: Bool { position >= bytes.count }

    // MARK: - Raw access

    @inline(__always)
    private func truncated(_ what: String) -> IntakeError {
        IntakeError("msgpack: body ends inside \(what) at byte \(position)")
    }

    @inline(__always)
    func peekByte() throws(IntakeError) -> UInt8 {
        guard position < bytes.count else { throw truncated("a value") }
        return bytes[position]
    }

    @inline(__always)
    private mutating func advance(_ count: Int, _ what: String) throws(IntakeError) {
        guard count >= 0, count <= bytes.count - position else { throw truncated(what) }
        position += count
    }

    @inline(__always)
    private mutating func readBigEndian(_ width: Int) throws(IntakeError) -> UInt64 {
        guard width <= bytes.count - position else { throw truncated("a number") }
        var value: UInt64 = 0
        for offset in 0..<width {
            value = value << 8 | UInt64(bytes[position + offset])
        }
        position += width
        return value
    }

    /// Reads a container length and rejects one that cannot fit in what is left of the body,
    /// so a hostile header never makes anyone reserve gigabytes.
    @inline(__always)
    private mutating func readCount(width: Int, perElement: Int, _ what: String) throws(IntakeError) -> Int {
        let count = Int(try readBigEndian(width))
        guard count <= (bytes.count - position) / perElement else {
            throw IntakeError("msgpack: \(what) of \(count) elements at byte \(position) is longer than the body")
        }
        return count
    }

    // MARK: - Containers

    /// Reads an array header; nil (after skipping the value) when the value is not an array.
    /// A msgpack `nil` reads as an empty array.
    mutating func readArrayHeader() throws(IntakeError) -> Int? {
        try readContainerHeader(fix: 0x90, header16: 0xdc, header32: 0xdd, perElement: 1, "array")
    }

    /// Reads a map header (number of pairs); nil (after skipping) when the value is not a map.
    /// A msgpack `nil` reads as an empty map.
    mutating func readMapHeader() throws(IntakeError) -> Int? {
        try readContainerHeader(fix: 0x80, header16: 0xde, header32: 0xdf, perElement: 2, "map")
    }

    /// An array or map header: the fix form (`fix` plus a count below 16), 16- or 32-bit counts, or `nil`.
    @inline(__always)
    private mutating func readContainerHeader(fix: UInt8, header16: UInt8, header32: UInt8, perElement: Int, _ what: String) throws(IntakeError) -> Int? {
        let byte = try peekByte()
        switch byte {
        case fix...(fix | 0x0f):
            position += 1
            return Int(byte & 0x0f)
        case header16:
            position += 1
            return try readCount(width: 2, perElement: perElement, what)
        case header32:
            position += 1
            return try readCount(width: 4, perElement: perElement, what)
        case 0xc0:
            position += 1
            return 0
        default:
            try skipValue()
            return nil
        }
    }

    // MARK: - Strings

    /// Reads a `str` or `bin` value as the byte range it occupies; nil for `nil` or another kind (skipped).
    mutating func readStringRange() throws(IntakeError) -> Range<Int>? {
        let byte = try peekByte()
        let length: Int
        switch byte {
        case 0xa0...0xbf:
            position += 1
            length = Int(byte & 0x1f)
        case 0xd9, 0xc4:
            position += 1
            length = Int(try readBigEndian(1))
        case 0xda, 0xc5:
            position += 1
            length = Int(try readBigEndian(2))
        case 0xdb, 0xc6:
            position += 1
            length = Int(try readBigEndian(4))
        default:
            try skipValue()
            return nil
        }
        let start = position
        try advance(length, "a string")
        return start..<position
    }

    /// Reads a string; invalid UTF-8 is repaired rather than rejected, as tracers send what they got.
    mutating func readString() throws(IntakeError) -> String? {
        guard let range = try readStringRange() else { return nil }
        return string(in: range)
    }

    func string(in range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    // MARK: - Numbers

    /// A number as msgpack carried it.
    enum Number {
        case unsigned(UInt64)
        case signed(Int64)
        case float(Double)

        /// As a signed 64-bit value: unsigned bit patterns as tracers mean them, floats truncated
        /// when in range (JSON bodies carry every number this way too).
        var int64: Int64? {
            switch self {
            case .unsigned(let value): return Int64(bitPattern: value)
            case .signed(let value): return value
            case .float(let value):
                guard value.isFinite, abs(value) < 9.2e18 else { return nil }
                return Int64(value)
            }
        }
    }

    /// Reads any integer or float; nil (after skipping) for `nil` or another kind.
    mutating func readNumber() throws(IntakeError) -> Number? {
        let byte = try peekByte()
        switch byte {
        case 0x00...0x7f:
            position += 1
            return .unsigned(UInt64(byte))
        case 0xe0...0xff:
            position += 1
            return .signed(Int64(Int8(bitPattern: byte)))
        case 0xcc, 0xcd, 0xce, 0xcf:
            position += 1
            return .unsigned(try readBigEndian(1 << Int(byte - 0xcc)))
        case 0xd0:
            position += 1
            return .signed(Int64(Int8(truncatingIfNeeded: try readBigEndian(1))))
        case 0xd1:
            position += 1
            return .signed(Int64(Int16(truncatingIfNeeded: try readBigEndian(2))))
        case 0xd2:
            position += 1
            return .signed(Int64(Int32(truncatingIfNeeded: try readBigEndian(4))))
        case 0xd3:
            position += 1
            return .signed(Int64(bitPattern: try readBigEndian(8)))
        case 0xca:
            position += 1
            return .float(Double(Float(bitPattern: UInt32(truncatingIfNeeded: try readBigEndian(4)))))
        case 0xcb:
            position += 1
            return .float(Double(bitPattern: try readBigEndian(8)))
        case 0xc2:
            position += 1
            return .unsigned(0)
        case 0xc3:
            position += 1
            return .unsigned(1)
        default:
            try skipValue()
            return nil
        }
    }

    /// An id or count: negative values keep their bit pattern (Java sends span ids as signed longs).
    mutating func readUInt64() throws(IntakeError) -> UInt64? {
        switch try readNumber() {
        case .unsigned(let value): return value
        case .signed(let value): return UInt64(bitPattern: value)
        case .float(let value):
            guard value >= 0, value < 18_446_744_073_709_551_616.0, value == value.rounded() else { return nil }
            return UInt64(value)
        case nil: return nil
        }
    }

    mutating func readInt64() throws(IntakeError) -> Int64? {
        try readNumber()?.int64
    }

    mutating func readDouble() throws(IntakeError) -> Double? {
        switch try readNumber() {
        case .unsigned(let value): return Double(value)
        case .signed(let value): return Double(value)
        case .float(let value): return value
        case nil: return nil
        }
    }

    // MARK: - Skipping

    /// Skips one value of any kind, containers included, without recursion or allocation.
    mutating func skipValue() throws(IntakeError) {
        var pending = 1
        while pending > 0 {
            pending -= 1
            guard position < bytes.count else { throw truncated("a value") }
            let byte = bytes[position]
            position += 1
            switch byte {
            case 0x00...0x7f, 0xe0...0xff, 0xc0, 0xc2, 0xc3:
                break
            case 0x80...0x8f:
                pending += Int(byte & 0x0f) * 2
            case 0x90...0x9f:
                pending += Int(byte & 0x0f)
            case 0xa0...0xbf:
                try advance(Int(byte & 0x1f), "a string")
            case 0xc4, 0xd9:
                try advance(Int(try readBigEndian(1)), "a string")
            case 0xc5, 0xda:
                try advance(Int(try readBigEndian(2)), "a string")
            case 0xc6, 0xdb:
                try advance(Int(try readBigEndian(4)), "a string")
            case 0xc7:
                try advance(Int(try readBigEndian(1)) + 1, "an extension")
            case 0xc8:
                try advance(Int(try readBigEndian(2)) + 1, "an extension")
            case 0xc9:
                try advance(Int(try readBigEndian(4)) + 1, "an extension")
            case 0xca: try advance(4, "a number")
            case 0xcb: try advance(8, "a number")
            case 0xcc, 0xd0: try advance(1, "a number")
            case 0xcd, 0xd1: try advance(2, "a number")
            case 0xce, 0xd2: try advance(4, "a number")
            case 0xcf, 0xd3: try advance(8, "a number")
            case 0xd4: try advance(2, "an extension")
            case 0xd5: try advance(3, "an extension")
            case 0xd6: try advance(5, "an extension")
            case 0xd7: try advance(9, "an extension")
            case 0xd8: try advance(17, "an extension")
            case 0xdc:
                pending += try readCount(width: 2, perElement: 1, "array")
            case 0xdd:
                pending += try readCount(width: 4, perElement: 1, "array")
            case 0xde:
                pending += try readCount(width: 2, perElement: 2, "map") * 2
            case 0xdf:
                pending += try readCount(width: 4, perElement: 2, "map") * 2
            default:
                // 0xc1 is never used by msgpack.
                throw IntakeError("msgpack: reserved byte 0xc1 at byte \(position - 1)")
            }
            // Every pending value needs at least one byte: a header claiming more is a lie.
            guard pending <= bytes.count - position else {
                throw IntakeError("msgpack: containers at byte \(position) claim more values than the body holds")
            }
        }
    }
}
