/// CPython tracebacks: `Traceback (most recent call last):`, `  File "x.py", line 3, in f` frames (each with
/// an optional source line and 3.11+ caret lines), the `Type: message` line, and chains joined by
/// "The above exception was the direct cause…" (cause) or "During handling of the above exception…" (context).
enum PythonTraceParser {
    private struct Block {
        var type: String?
        var message: String?
        var frames: [Frame] = []
        /// How the block printed before this one relates to it.
        var linkToPrevious: ExceptionTrace.Relation = .primary
    }

    static func parse(_ lines: [Substring], context: inout ParseContext) -> [ExceptionTrace] {
        var blocks: [Block] = []
        var current = Block()
        var started = false
        var pendingLink: ExceptionTrace.Relation?
        var inMessage = false
        var lastFrameHasSource = true

        func flush() {
            if started { blocks.append(current) }
            current = Block()
            started = false
            inMessage = false
        }

        for line in lines {
            context.work += 1
            let text = line.trimmingBlanks
            if text.isEmpty { inMessage = false; continue }
            if text.starts(with: "The above exception was the direct cause") {
                flush(); pendingLink = .cause; continue
            }
            if text.starts(with: "During handling of the above exception") {
                flush(); pendingLink = .context; continue
            }
            if text.starts(with: "Traceback (most recent call last)") {
                flush()
                started = true
                current.linkToPrevious = pendingLink ?? .primary
                pendingLink = nil
                continue
            }
            if let frame = frameLine(text, context: context) {
                if inMessage { flush() }
                if !started {
                    started = true
                    current.linkToPrevious = pendingLink ?? .primary
                    pendingLink = nil
                }
                current.frames.append(frame)
                lastFrameHasSource = false
                continue
            }
            let indent = line.leadingBlankCount
            if indent > 0, !current.frames.isEmpty, current.type == nil, !inMessage {
                // The source line under a frame, then 3.11+ caret/tilde lines, or a "[Previous line repeated]" note.
                if !lastFrameHasSource, !isCaretLine(text), !text.starts(with: "[Previous line repeated") {
                    let last = current.frames.count - 1
                    current.frames[last].context = text.owned
                    lastFrameHasSource = true
                }
                continue
            }
            if inMessage {
                ParseContext.append(line, to: &current.message)
                continue
            }
            guard started || indent == 0 else { continue }
            if !started {
                started = true
                current.linkToPrevious = pendingLink ?? .primary
                pendingLink = nil
            }
            let (type, message) = exceptionLine(text)
            current.type = type
            current.message = message
            inMessage = true
        }
        flush()

        // Python prints the oldest cause first and the reported exception last; frames outermost first.
        var exceptions: [ExceptionTrace] = []
        exceptions.reserveCapacity(min(blocks.count, ParseContext.maxExceptions + 1))
        var relation = ExceptionTrace.Relation.primary
        for block in blocks.reversed() {
            let frames = context.capped(block.frames.reversed())
            exceptions.append(ExceptionTrace(type: block.type, message: block.message, frames: frames, relation: relation))
            relation = block.linkToPrevious == .primary ? .cause : block.linkToPrevious
        }
        return exceptions
    }

    /// `File "path", line 12, in function` (the `, in function` part is missing in some REPL frames).
    static func frameLine(_ text: Substring, context: ParseContext) -> Frame? {
        guard let afterFile = text.dropping(prefix: "File \""),
              let fileEnd = afterFile.firstRange(of: "\", line ")
        else { return nil }
        let file = afterFile[..<fileEnd.lowerBound]
        let rest = afterFile[fileEnd.upperBound...]
        let lineText: Substring
        var function: Substring?
        if let comma = rest.firstRange(of: ", in ") {
            lineText = rest[..<comma.lowerBound]
            function = rest[comma.upperBound...]
        } else {
            lineText = rest
        }
        return context.frame(function: function, module: moduleName(file), file: file, line: lineText.decimalValue)
    }

    /// The dotted module of a file under site-packages, dist-packages or the standard library
    /// (`…/site-packages/requests/adapters.py` → `requests.adapters`); nil for application files, whose
    /// import root the path alone does not tell.
    static func moduleName(_ file: Substring) -> Substring? {
        guard file.utf8.last == UInt8(ascii: "y"), file.ends(with: ".py") else { return nil }
        var root: Substring.Index?
        for marker in ["/site-packages/", "/dist-packages/", "\\site-packages\\"] {
            if let range = file.lastRange(of: marker) { root = range.upperBound; break }
        }
        if root == nil, let lib = file.lastRange(of: "/lib/python") {
            // `/usr/lib/python3.11/json/decoder.py`: skip the version directory.
            let afterLib = file[lib.upperBound...]
            if let slash = afterLib.firstIndex(ofByte: UInt8(ascii: "/")) { root = afterLib.index(after: slash) }
        }
        guard let root else { return nil }
        var relative = file[root..<file.utf8.index(file.endIndex, offsetBy: -3)]
        if relative.ends(with: "/__init__") { relative = relative.dropLast(9) }
        return Substring(relative.map { $0 == "/" || $0 == "\\" ? "." : $0 })
    }

    /// `pkg.Error: message`, `Error`, or a bare message.
    private static func exceptionLine(_ text: Substring) -> (String?, String?) {
        if let colon = text.firstRange(of: ": ") {
            let type = text[..<colon.lowerBound]
            if isTypeName(type) { return (type.owned, String(text[colon.upperBound...].prefix(ParseContext.maxMessageBytes))) }
        }
        if text.utf8.last == UInt8(ascii: ":"), isTypeName(text.dropLast()) { return (String(text.dropLast()), nil) }
        if isTypeName(text) { return (text.owned, nil) }
        return (nil, String(text.prefix(ParseContext.maxMessageBytes)))
    }

    private static func isTypeName(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte >= 0x80
        }
    }

    private static func isCaretLine(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { $0 == UInt8(ascii: "^") || $0 == UInt8(ascii: "~") || $0 == 0x20 }
    }
}
