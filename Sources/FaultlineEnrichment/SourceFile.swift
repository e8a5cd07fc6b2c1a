/// A file's content at a commit, split into lines once so snippets are cheap.
public struct SourceFile: Sendable {
    public let path: String
    /// Lines without their terminators (`\n` or `\r\n`); empty for binary files.
    public let lines: [String]
    public let isBinary: Bool

    public init(path: String, text: String, isBinary: Bool) {
        self.path = path
        self.isBinary = isBinary
        self.lines = isBinary ? [] : SourceFile.split(text)
    }

    static func split(_ text: String) -> [String] {
        // Split on bytes: in Swift "\r\n" is one Character, so a Character split would miss it.
        let bytes = text.utf8
        var lines: [String] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let newline = bytes[start...].firstIndex(of: 10) ?? bytes.endIndex
            var end = newline
            if end > start, bytes[bytes.index(before: end)] == 13 { end = bytes.index(before: end) }
            lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = newline == bytes.endIndex ? newline : bytes.index(after: newline)
        }
        return lines
    }
}
