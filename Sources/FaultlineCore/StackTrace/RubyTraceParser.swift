/// Ruby backtraces: `path:12:in 'method'` lines (the backtick opening quote before Ruby 3.4, the single
/// quote and `Class#method` from 3.4 on), as plain `backtrace` lines or in the form dd-trace-rb and Ruby's own
/// report use: `path:12:in 'm': message (Class)`, then `\tfrom path:…` lines, then each cause the same way.
enum RubyTraceParser {
    static func parse(_ lines: [Substring], context: inout ParseContext) -> [ExceptionTrace] {
        var exceptions: [ExceptionTrace] = []
        var current: ExceptionTrace?
        var frames: [Frame] = []

        func flush() {
            guard var exception = current else { return }
            exception.frames = frames
            exceptions.append(exception)
            current = nil
            frames = []
        }

        for line in lines {
            context.work += 1
            var text = line.trimmingBlanks
            guard !text.isEmpty else { continue }
            let isContinuation: Bool
            if let rest = text.dropping(prefix: "from ") {
                text = rest
                isContinuation = true
            } else {
                isContinuation = false
            }
            guard let parsed = parseLine(text) else {
                // A multi-line message continues until the next `from` line; dd-trace-rb puts the
                // `(Class)` after its last line.
                if var exception = current, frames.count <= 1, exception.message != nil {
                    var extra = text
                    if exception.type == nil, let open = text.openingOfTrailingGroup {
                        exception.type = text[text.utf8.index(after: open)..<text.utf8.index(before: text.endIndex)].owned
                        extra = text[..<open].trimmingBlanks
                    }
                    ParseContext.append(extra, to: &exception.message)
                    current = exception
                }
                continue
            }
            let isHeader = !isContinuation && (parsed.type != nil || parsed.message != nil)
            if isHeader || current == nil {
                // A header line starts the next exception of the chain: the first is the reported one.
                flush()
                current = ExceptionTrace(
                    type: parsed.type.map { String($0) }, message: parsed.message.map { String($0) },
                    relation: exceptions.isEmpty ? .primary : .cause)
            }
            if context.isFull(frames) { continue }
            frames.append(frame(parsed, context: context))
        }
        flush()
        return exceptions
    }

    /// True for a `file:12:in 'method'` (or backtick) line, with or without a leading `from `.
    static func isFrameLine(_ text: Substring) -> Bool {
        guard let marker = text.byteRange(of: ":in ") else { return false }
        guard marker.lowerBound > text.startIndex else { return false }
        let before = text.utf8[text.utf8.index(before: marker.lowerBound)]
        guard before >= 0x30, before <= 0x39, let quote = text[marker.upperBound...].utf8.first else { return false }
        return quote == UInt8(ascii: "`") || quote == UInt8(ascii: "'")
    }

    private struct Line {
        var file: Substring
        var line: Int?
        var method: Substring?
        var type: Substring?
        var message: Substring?
    }

    /// `path:12:in 'label'`, optionally followed by `: message (Class)`; or a bare `path:12`.
    private static func parseLine(_ text: Substring) -> Line? {
        guard let marker = text.byteRange(of: ":in ") else {
            guard let location = text.fileLineColumn, location.column == nil, !text.contains(bytes: " ") else { return nil }
            return Line(file: location.file, line: location.line)
        }
        let location = text[..<marker.lowerBound]
        guard let colon = location.lastIndex(ofByte: UInt8(ascii: ":")),
              let number = location[location.utf8.index(after: colon)...].decimalValue
        else { return nil }
        var result = Line(file: location[..<colon], line: number)
        var rest = text[marker.upperBound...]
        guard let open = rest.utf8.first, open == UInt8(ascii: "`") || open == UInt8(ascii: "'") else {
            return result
        }
        rest = rest.droppingBytes(first: 1)
        guard let close = rest.firstIndex(ofByte: UInt8(ascii: "'")) else {
            result.method = rest
            return result
        }
        result.method = rest[..<close]
        let tail = rest[rest.utf8.index(after: close)...]
        if let header = tail.dropping(prefix: ": ") {
            if let open = header.openingOfTrailingGroup {
                result.type = header[header.utf8.index(after: open)..<header.utf8.index(before: header.endIndex)]
                result.message = header[..<open].trimmingBlanks
            } else {
                result.message = header
            }
        }
        return result
    }

    /// `block in Shop::OrderService#check` → module `Shop::OrderService`, function `block in check`.
    private static func frame(_ parsed: Line, context: ParseContext) -> Frame {
        guard let label = parsed.method else {
            return context.frame(function: nil, module: nil, file: parsed.file, line: parsed.line)
        }
        var prefix: Substring = ""
        var method = label
        if let inRange = label.lastByteRange(of: " in ") {
            prefix = label[..<inRange.upperBound]
            method = label[inRange.upperBound...]
        }
        var module: Substring?
        if !method.hasBytePrefix("<"),
           let separator = method.lastIndex(ofByte: UInt8(ascii: "#")) ?? method.lastIndex(ofByte: UInt8(ascii: ".")) {
            module = method[..<separator]
            method = method[method.utf8.index(after: separator)...]
        }
        let function = prefix.isEmpty ? method : Substring(prefix + method)
        return context.frame(function: function, module: module, file: parsed.file, line: parsed.line)
    }
}
