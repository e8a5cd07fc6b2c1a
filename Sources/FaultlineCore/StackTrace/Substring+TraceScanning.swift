/// Byte-level scanning over UTF-8 that every parser shares. The delimiters searched for are ASCII, so every
/// index found is also a valid `Substring` index (ASCII bytes never sit inside a multi-byte sequence).
extension Substring {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    var trimmingBlanks: Substring {
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, Self.isBlank(bytes[start]) { start = bytes.index(after: start) }
        while end > start {
            let before = bytes.index(before: end)
            guard Self.isBlank(bytes[before]) else { break }
            end = before
        }
        return self[start..<end]
    }

    /// The text without leading spaces and tabs.
    var trimmingLeadingBlanks: Substring {
        let bytes = utf8
        var start = bytes.startIndex
        while start < bytes.endIndex, Self.isBlank(bytes[start]) { start = bytes.index(after: start) }
        return self[start...]
    }

    /// Number of leading spaces and tabs.
    var leadingBlankCount: Int {
        var count = 0
        for byte in utf8 {
            guard byte == 0x20 || byte == 0x09 else { break }
            count += 1
        }
        return count
    }

    /// True when the text starts with `prefix`, compared byte for byte.
    func starts(with prefix: String) -> Bool {
        utf8.starts(with: prefix.utf8)
    }

    /// True when the text ends with `suffix`, compared byte for byte.
    func ends(with suffix: String) -> Bool {
        let suffixBytes = suffix.utf8
        guard utf8.count >= suffixBytes.count else { return false }
        return utf8.suffix(suffixBytes.count).elementsEqual(suffixBytes)
    }

    /// The text after `prefix`, or nil when it does not start with it.
    func dropping(prefix: String) -> Substring? {
        guard starts(with: prefix) else { return nil }
        return self[utf8.index(startIndex, offsetBy: prefix.utf8.count)...]
    }

    /// Index of the first occurrence of `byte`.
    func firstIndex(ofByte byte: UInt8) -> Index? {
        utf8.firstIndex(of: byte)
    }

    /// Index of the last occurrence of `byte`.
    func lastIndex(ofByte byte: UInt8) -> Index? {
        utf8.lastIndex(of: byte)
    }

    /// First occurrence of `needle`, searched byte by byte (lines are short; no regex in the hot path).
    func firstRange(of needle: String, from start: Index? = nil) -> Range<Index>? {
        let bytes = utf8
        let pattern = needle.utf8
        guard let first = pattern.first else { return nil }
        var index = start ?? bytes.startIndex
        let patternCount = pattern.count
        let total = bytes.distance(from: index, to: bytes.endIndex)
        guard total >= patternCount else { return nil }
        let lastStart = bytes.index(index, offsetBy: total - patternCount)
        while index <= lastStart {
            if bytes[index] == first {
                let end = bytes.index(index, offsetBy: patternCount)
                if bytes[index..<end].elementsEqual(pattern) { return index..<end }
            }
            index = bytes.index(after: index)
        }
        return nil
    }

    /// Last occurrence of `needle`.
    func lastRange(of needle: String) -> Range<Index>? {
        let bytes = utf8
        let pattern = needle.utf8
        let patternCount = pattern.count
        guard patternCount > 0, bytes.count >= patternCount else { return nil }
        var index = bytes.index(bytes.endIndex, offsetBy: -patternCount)
        while true {
            let end = bytes.index(index, offsetBy: patternCount)
            if bytes[index..<end].elementsEqual(pattern) { return index..<end }
            if index == bytes.startIndex { return nil }
            index = bytes.index(before: index)
        }
    }

    /// True when the text contains `needle`.
    func contains(bytes needle: String) -> Bool {
        firstRange(of: needle) != nil
    }

    /// The decimal number the whole text spells, or nil (no sign, at most 9 digits so it cannot overflow).
    var decimalValue: Int? {
        let bytes = utf8
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// True when every byte is an ASCII digit (and there is at least one).
    var isDigits: Bool {
        !utf8.isEmpty && utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// When the text ends with `)`, the index of the `(` that opens that last group, counting nesting.
    var openingOfTrailingGroup: Index? {
        let bytes = utf8
        guard bytes.last == UInt8(ascii: ")") else { return nil }
        var depth = 0
        var index = bytes.endIndex
        while index > bytes.startIndex {
            index = bytes.index(before: index)
            switch bytes[index] {
            case UInt8(ascii: ")"): depth += 1
            case UInt8(ascii: "("):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }

    /// Splits `file:line` or `file:line:column` from the end (so `C:\x.js:1:2` keeps its drive letter).
    /// Returns nil when the text does not end in `:number`.
    var fileLineColumn: (file: Substring, line: Int, column: Int?)? {
        guard let lastColon = lastIndex(ofByte: UInt8(ascii: ":")),
              let last = self[index(after: lastColon)...].decimalValue
        else { return nil }
        let head = self[..<lastColon]
        if let secondColon = head.lastIndex(ofByte: UInt8(ascii: ":")),
           let line = head[head.index(after: secondColon)...].decimalValue {
            return (head[..<secondColon], line, last)
        }
        return (head, last, nil)
    }

    /// A string with its own storage (so slices of a large trace do not keep the whole trace alive).
    var owned: String { String(self) }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }
}
