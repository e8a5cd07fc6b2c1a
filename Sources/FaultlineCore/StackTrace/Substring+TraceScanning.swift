/// Byte-level scanning over UTF-8 that every parser shares. Each helper works on the contiguous UTF-8 bytes
/// (no per-character decoding, no regex) and turns byte offsets back into indices, which is O(1) for native
/// strings. The delimiters searched for are ASCII, so every index found is also a valid `Substring` index
/// (ASCII bytes never sit inside a multi-byte sequence).
extension Substring {
    /// Runs `body` over the text's UTF-8 bytes.
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = String(self)
        return copy.withUTF8(body)
    }

    /// The index `offset` bytes from the start.
    @inline(__always)
    func index(atByte offset: Int) -> Index {
        utf8.index(startIndex, offsetBy: offset)
    }

    /// The text between two byte offsets.
    @inline(__always)
    func bytes(_ from: Int, _ to: Int) -> Substring {
        Substring(utf8[index(atByte: from)..<index(atByte: to)])
    }

    /// The text without leading and trailing spaces, tabs and carriage returns.
    var trimmingBlanks: Substring {
        let (start, end) = withBytes { bytes -> (Int, Int) in
            var start = 0
            var end = bytes.count
            while start < end, isBlank(bytes[start]) { start += 1 }
            while end > start, isBlank(bytes[end - 1]) { end -= 1 }
            return (start, end)
        }
        if start == 0, end == utf8.count { return self }
        return bytes(start, end)
    }

    /// The text without leading spaces and tabs.
    var trimmingLeadingBlanks: Substring {
        let start = leadingBlankCount
        return start == 0 ? self : self[index(atByte: start)...]
    }

    /// Number of leading spaces and tabs.
    var leadingBlankCount: Int {
        withBytes { bytes in
            var count = 0
            while count < bytes.count, bytes[count] == 0x20 || bytes[count] == 0x09 { count += 1 }
            return count
        }
    }

    /// True when the text starts with `prefix`, compared byte for byte.
    func hasBytePrefix(_ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { pattern in
            withBytes { bytes in
                guard bytes.count >= pattern.count else { return false }
                for offset in 0..<pattern.count where bytes[offset] != pattern[offset] { return false }
                return true
            }
        }
    }

    /// True when the text ends with `suffix`, compared byte for byte.
    func hasByteSuffix(_ suffix: StaticString) -> Bool {
        suffix.withUTF8Buffer { pattern in
            withBytes { bytes in
                guard bytes.count >= pattern.count else { return false }
                let base = bytes.count - pattern.count
                for offset in 0..<pattern.count where bytes[base + offset] != pattern[offset] { return false }
                return true
            }
        }
    }

    /// True when the text is exactly `other`, byte for byte (no Unicode normalisation).
    func isExactly(_ other: StaticString) -> Bool {
        utf8.count == other.utf8CodeUnitCount && hasBytePrefix(other)
    }

    /// True when the text starts with a runtime string (configuration, prefix tables).
    func starts(withText prefix: String) -> Bool {
        var prefix = prefix
        return prefix.withUTF8 { pattern in
            withBytes { bytes in
                guard bytes.count >= pattern.count else { return false }
                for offset in 0..<pattern.count where bytes[offset] != pattern[offset] { return false }
                return true
            }
        }
    }

    /// The text after `prefix`, or nil when it does not start with it.
    func dropping(prefix: StaticString) -> Substring? {
        guard hasBytePrefix(prefix) else { return nil }
        return self[index(atByte: prefix.utf8CodeUnitCount)...]
    }

    /// Index of the first occurrence of `byte`.
    func firstIndex(ofByte byte: UInt8) -> Index? {
        let offset = withBytes { bytes -> Int? in
            for offset in 0..<bytes.count where bytes[offset] == byte { return offset }
            return nil
        }
        return offset.map { index(atByte: $0) }
    }

    /// Index of the last occurrence of `byte`.
    func lastIndex(ofByte byte: UInt8) -> Index? {
        let offset = withBytes { bytes -> Int? in
            var offset = bytes.count - 1
            while offset >= 0 {
                if bytes[offset] == byte { return offset }
                offset -= 1
            }
            return nil
        }
        return offset.map { index(atByte: $0) }
    }

    /// First occurrence of `needle` (at or after `start`), searched byte by byte.
    func byteRange(of needle: StaticString, from start: Index? = nil) -> Range<Index>? {
        let startOffset = start.map { utf8.distance(from: startIndex, to: $0) } ?? 0
        let found = needle.withUTF8Buffer { pattern -> Int? in
            withBytes { bytes -> Int? in
                let count = pattern.count
                guard count > 0, bytes.count - startOffset >= count else { return nil }
                let first = pattern[0]
                var offset = startOffset
                let last = bytes.count - count
                search: while offset <= last {
                    if bytes[offset] == first {
                        for inner in 1..<count where bytes[offset + inner] != pattern[inner] {
                            offset += 1
                            continue search
                        }
                        return offset
                    }
                    offset += 1
                }
                return nil
            }
        }
        guard let found else { return nil }
        return index(atByte: found)..<index(atByte: found + needle.utf8CodeUnitCount)
    }

    /// Last occurrence of `needle`.
    func lastByteRange(of needle: StaticString) -> Range<Index>? {
        let found = needle.withUTF8Buffer { pattern -> Int? in
            withBytes { bytes -> Int? in
                let count = pattern.count
                guard count > 0, bytes.count >= count else { return nil }
                var offset = bytes.count - count
                search: while offset >= 0 {
                    for inner in 0..<count where bytes[offset + inner] != pattern[inner] {
                        offset -= 1
                        continue search
                    }
                    return offset
                }
                return nil
            }
        }
        guard let found else { return nil }
        return index(atByte: found)..<index(atByte: found + needle.utf8CodeUnitCount)
    }

    /// True when the text contains `needle`.
    func contains(bytes needle: StaticString) -> Bool {
        byteRange(of: needle) != nil
    }

    /// The decimal number the whole text spells, or nil (no sign, at most 9 digits so it cannot overflow).
    var decimalValue: Int? {
        withBytes { bytes in
            guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
            var value = 0
            for byte in bytes {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
    }

    /// True when every byte is an ASCII digit (and there is at least one).
    var isDigits: Bool {
        withBytes { bytes in !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    /// When the text ends with `)`, the index of the `(` that opens that last group, counting nesting.
    var openingOfTrailingGroup: Index? {
        let offset = withBytes { bytes -> Int? in
            guard bytes.last == UInt8(ascii: ")") else { return nil }
            var depth = 0
            var offset = bytes.count - 1
            while offset >= 0 {
                switch bytes[offset] {
                case UInt8(ascii: ")"): depth += 1
                case UInt8(ascii: "("):
                    depth -= 1
                    if depth == 0 { return offset }
                default: break
                }
                offset -= 1
            }
            return nil
        }
        return offset.map { index(atByte: $0) }
    }

    /// Splits `file:line` or `file:line:column` from the end (so `C:\x.js:1:2` keeps its drive letter).
    /// Returns nil when the text does not end in `:number`.
    var fileLineColumn: (file: Substring, line: Int, column: Int?)? {
        // Byte offsets of the last two colons, and the numbers after them.
        let parts = withBytes { bytes -> (Int, Int, Int?, Int?)? in
            func number(_ from: Int, _ to: Int) -> Int? {
                guard to > from, to - from <= 9 else { return nil }
                var value = 0
                for offset in from..<to {
                    let byte = bytes[offset]
                    guard byte >= 0x30, byte <= 0x39 else { return nil }
                    value = value * 10 + Int(byte - 0x30)
                }
                return value
            }
            var offset = bytes.count - 1
            while offset >= 0, bytes[offset] != UInt8(ascii: ":") { offset -= 1 }
            guard offset >= 0, let last = number(offset + 1, bytes.count) else { return nil }
            var second = offset - 1
            while second >= 0, bytes[second] != UInt8(ascii: ":") { second -= 1 }
            if second >= 0, let line = number(second + 1, offset) { return (second, line, last, nil) }
            return (offset, last, nil, nil)
        }
        guard let (colon, line, column, _) = parts else { return nil }
        return (self[..<index(atByte: colon)], line, column)
    }

    /// The text without its first and last few bytes (callers only drop ASCII they have just matched).
    func droppingBytes(first: Int = 0, last: Int = 0) -> Substring {
        let count = utf8.count
        guard first + last <= count else { return self[endIndex...] }
        return bytes(first, count - last)
    }

    /// The text as an exception message, cut at `ParseContext.maxMessageBytes` on a character boundary.
    var cappedMessage: String {
        let limit = ParseContext.maxMessageBytes
        guard utf8.count > limit else { return String(self) }
        let end = withBytes { bytes in
            var end = limit
            while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            return end
        }
        return String(bytes(0, end))
    }

    /// A string with its own storage (so slices of a large trace do not keep the whole trace alive).
    var owned: String { String(self) }
}

@inline(__always)
private func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0D
}
