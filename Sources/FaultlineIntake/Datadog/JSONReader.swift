/// A bounds-checked JSON cursor for Datadog v0.4 JSON bodies: walks values without building them,
/// and decodes only the strings and numbers asked for. Nothing here recurses.
struct JSONReader: ByteCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    /// Names the format in error reasons.
    let label: String

    init(bytes: UnsafeRawBufferPointer, position: Int = 0, label: String = "v0.4 json") {
        self.bytes = bytes
        self.position = position
        self.label = label
    }

    /// A scalar read where a string is expected.
    enum StringValue {
        case string(String)
        case null
        /// Another kind of value (skipped).
        case other
    }

    private func error(_ what: String) -> IntakeError {
        IntakeError("\(label): \(what) at byte \(position)")
    }

    var isAtEnd: Bool {
        mutating get {
            skipWhitespace()
            return position >= bytes.count
        }
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0a, 0x0d, 0x09: position += 1
            default: return
            }
        }
    }

    @inline(__always)
    mutating func peek() throws(IntakeError) -> UInt8 {
        skipWhitespace()
        guard position < bytes.count else { throw error("body ends early") }
        return bytes[position]
    }

    /// Consumes `[` or `{` when it is next; false (nothing consumed) otherwise.
    mutating func open(_ bracket: UInt8) throws(IntakeError) -> Bool {
        guard try peek() == bracket else { return false }
        position += 1
        return true
    }

    /// Between the elements of an open array or object: false after consuming the closing bracket,
    /// true when another element follows (its separating comma consumed).
    mutating func hasNext(closing: UInt8, first: inout Bool) throws(IntakeError) -> Bool {
        let byte = try peek()
        if byte == closing {
            position += 1
            return false
        }
        if !first {
            guard byte == UInt8(ascii: ",") else { throw error("expected , or \(Character(Unicode.Scalar(closing)))") }
            position += 1
        }
        first = false
        return true
    }

    /// Reads an object key and its colon, as the raw bytes between the quotes.
    mutating func readKey() throws(IntakeError) -> Range<Int> {
        guard try peek() == UInt8(ascii: "\"") else { throw error("expected an object key") }
        let range = try skipString()
        guard try peek() == UInt8(ascii: ":") else { throw error("expected :") }
        position += 1
        return range
    }

    // MARK: - Strings

    /// Skips a string whose opening quote is next; returns the raw bytes between the quotes.
    private mutating func skipString() throws(IntakeError) -> Range<Int> {
        position += 1
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                return start..<(position - 1)
            case UInt8(ascii: "\\"):
                position += 2
            default:
                position += 1
            }
        }
        position = bytes.count
        throw error("body ends inside a string")
    }

    /// The raw bytes of a string value (escapes left as written), or nil for another kind (skipped).
    mutating func readRawString() throws(IntakeError) -> Range<Int>? {
        guard try peek() == UInt8(ascii: "\"") else {
            try skipValue()
            return nil
        }
        return try skipString()
    }

    mutating func readString() throws(IntakeError) -> StringValue {
        let byte = try peek()
        guard byte == UInt8(ascii: "\"") else {
            let isNull = byte == UInt8(ascii: "n")
            try skipValue()
            return isNull ? .null : .other
        }
        let raw = try skipString()
        return .string(unescape(raw))
    }

    /// Decodes JSON escapes; invalid sequences become U+FFFD rather than failing the span.
    func unescape(_ raw: Range<Int>) -> String {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[raw])
        guard slice.contains(UInt8(ascii: "\\")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = raw.lowerBound
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.upperBound else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = bytes[at + offset]
                let nibble: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(nibble)
            }
            return value
        }
        while index < raw.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.upperBound else {
                out.append(byte)
                index += 1
                continue
            }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "u"):
                var scalar: Unicode.Scalar = "\u{FFFD}"
                if let unit = hex4(index) {
                    index += 4
                    if (0xd800..<0xdc00).contains(unit), index + 6 <= raw.upperBound,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                       let low = hex4(index + 2), (0xdc00..<0xe000).contains(low) {
                        index += 6
                        scalar = Unicode.Scalar(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)) ?? scalar
                    } else if let decoded = Unicode.Scalar(unit) {
                        scalar = decoded
                    }
                }
                out.append(contentsOf: String(Character(scalar)).utf8)
            default: out.append(escaped)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Numbers

    /// Reads a number (or `true`/`false`, or a string of digits, as lenient tracers send);
    /// nil for `null` or another kind (skipped).
    mutating func readNumber() throws(IntakeError) -> MessagePackReader.Number? {
        let byte = try peek()
        let token: Range<Int>
        switch byte {
        case UInt8(ascii: "\""):
            token = try skipString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = position
            while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
            token = start..<position
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let isTrue = byte == UInt8(ascii: "t")
            try skipValue()
            return .unsigned(isTrue ? 1 : 0)
        default:
            try skipValue()
            return nil
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[token]), as: UTF8.self)
        if let value = UInt64(text) { return .unsigned(value) }
        if let value = Int64(text) { return .signed(value) }
        if let value = Double(text), value.isFinite { return .float(value) }
        return nil
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }

    // MARK: - Skipping

    /// Skips one value, containers included, with a depth counter instead of recursion.
    /// Checks brackets balance and that a value is present; it does not validate every token.
    mutating func skipValue() throws(IntakeError) {
        var depth = 0
        repeat {
            let byte = try peek()
            switch byte {
            case UInt8(ascii: "\""):
                _ = try skipString()
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                position += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                guard depth > 0 else { throw error("unexpected \(Character(Unicode.Scalar(byte)))") }
                depth -= 1
                position += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { throw error("expected a value") }
                position += 1
            default:
                let start = position
                while position < bytes.count, Self.isLiteralByte(bytes[position]) { position += 1 }
                guard position > start else { throw error("unexpected byte 0x\(String(byte, radix: 16))") }
            }
        } while depth > 0
    }

    private static func isLiteralByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }
}
