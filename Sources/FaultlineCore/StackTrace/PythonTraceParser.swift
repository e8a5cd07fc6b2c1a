/// CPython tracebacks: `Traceback (most recent call last):`, `  File "x.py", line 3, in f` frames (each with
/// an optional source line and 3.11+ caret lines), the `Type: message` line, and chains joined by
/// "The above exception was the direct cause…" (cause) or "During handling of the above exception…" (context).
/// `ExceptionGroup` tracebacks (3.11+, drawn with `+`/`|` margins) give the group first, then its
/// sub-exceptions in printed order, related as causes.
enum PythonTraceParser {
    private struct Block {
        var type: String?
        var message: String?
        var frames: [Frame] = []
        /// How the block printed before this one relates to it.
        var linkToPrevious: ExceptionTrace.Relation = .primary
        /// Printed inside an exception group's margin after the group itself.
        var isSubException = false
    }

    static func parse(_ lines: [Substring], context: inout ParseContext) -> [ExceptionTrace] {
        var blocks: [Block] = []
        var current = Block()
        var started = false
        var pendingLink: ExceptionTrace.Relation?
        var inMessage = false
        var lastFrameHasSource = true
        var inSubExceptions = false

        func start() {
            started = true
            current.linkToPrevious = pendingLink ?? .primary
            current.isSubException = inSubExceptions
            pendingLink = nil
        }

        func flush() {
            if started { blocks.append(current) }
            current = Block()
            started = false
            inMessage = false
        }

        for rawLine in lines {
            context.work += 1
            var line = rawLine
            // Exception group margins: `  + Exception Group Traceback…`, `  | …`, `  +-+---- 1 ----`.
            let margin = rawLine.trimmingLeadingBlanks
            if let marker = margin.utf8.first, marker == UInt8(ascii: "+") || marker == UInt8(ascii: "|") {
                let next = margin.utf8.dropFirst().first
                if marker == UInt8(ascii: "+"), next == UInt8(ascii: "-") {
                    flush()
                    inSubExceptions = true
                    continue
                }
                if marker == UInt8(ascii: "|") || next == UInt8(ascii: " ") {
                    line = margin.droppingBytes(first: next == UInt8(ascii: " ") ? 2 : 1)
                }
            }
            let text = line.trimmingBlanks
            if text.isEmpty { inMessage = false; continue }
            let first = text.utf8.first
            if first == UInt8(ascii: "T"), text.hasBytePrefix("The above exception was the direct cause") {
                flush(); pendingLink = .cause; continue
            }
            if first == UInt8(ascii: "D"), text.hasBytePrefix("During handling of the above exception") {
                flush(); pendingLink = .context; continue
            }
            if first == UInt8(ascii: "T") && text.hasBytePrefix("Traceback (most recent call last)")
                || first == UInt8(ascii: "E") && text.hasBytePrefix("Exception Group Traceback (most recent call last)") {
                flush()
                start()
                continue
            }
            if first == UInt8(ascii: "F"), let frame = frameLine(text, context: context) {
                if inMessage { flush() }
                if !started { start() }
                current.frames.append(frame)
                lastFrameHasSource = false
                continue
            }
            let indent = line.leadingBlankCount
            if indent > 0, !current.frames.isEmpty, current.type == nil, !inMessage {
                // The source line under a frame, then 3.11+ caret/tilde lines, or a "[Previous line repeated]" note.
                if !lastFrameHasSource, !isCaretLine(text), !text.hasBytePrefix("[Previous line repeated") {
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
            if !started { start() }
            let (type, message) = exceptionLine(text)
            current.type = type
            current.message = message
            inMessage = true
        }
        flush()

        // Python prints the oldest cause first and the reported exception last; frames outermost first.
        // An exception group's sub-exceptions follow the group in printed order.
        var exceptions: [ExceptionTrace] = []
        exceptions.reserveCapacity(min(blocks.count, ParseContext.maxExceptions + 1))
        var relation = ExceptionTrace.Relation.primary
        // Frames are moved out of each block and reversed in place, never copied.
        func takeFrames(_ index: Int) -> [Frame] {
            var frames: [Frame] = []
            swap(&frames, &blocks[index].frames)
            frames.reverse()
            return context.capped(frames)
        }
        for index in blocks.indices.reversed() where !blocks[index].isSubException {
            let block = blocks[index]
            exceptions.append(ExceptionTrace(
                type: block.type, message: block.message, frames: takeFrames(index), relation: relation))
            relation = block.linkToPrevious == .primary ? .cause : block.linkToPrevious
        }
        for index in blocks.indices where blocks[index].isSubException {
            exceptions.append(ExceptionTrace(
                type: blocks[index].type, message: blocks[index].message, frames: takeFrames(index), relation: .cause))
        }
        return exceptions
    }

    /// `File "path", line 12, in function` (the `, in function` part is missing in some REPL frames).
    static func frameLine(_ text: Substring, context: ParseContext) -> Frame? {
        guard let afterFile = text.dropping(prefix: "File \""),
              let fileEnd = afterFile.byteRange(of: "\", line ")
        else { return nil }
        let file = afterFile[..<fileEnd.lowerBound]
        let rest = afterFile[fileEnd.upperBound...]
        let lineText: Substring
        var function: Substring?
        if let comma = rest.byteRange(of: ", in ") {
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
        guard file.utf8.last == UInt8(ascii: "y"), file.hasByteSuffix(".py") else { return nil }
        var root: Substring.Index?
        // One backward scan finds `site-packages` and `dist-packages` in either slash style.
        if let packages = file.lastByteRange(of: "-packages"), packages.upperBound < file.endIndex {
            let separator = file.utf8[packages.upperBound]
            if separator == UInt8(ascii: "/") || separator == UInt8(ascii: "\\") {
                root = file.utf8.index(after: packages.upperBound)
            }
        }
        if root == nil, let lib = file.lastByteRange(of: "/lib/python") {
            // `/usr/lib/python3.11/json/decoder.py`: skip the version directory.
            let afterLib = file[lib.upperBound...]
            if let slash = afterLib.firstIndex(ofByte: UInt8(ascii: "/")) { root = afterLib.utf8.index(after: slash) }
        }
        guard let root else { return nil }
        var relative = file[root..<file.utf8.index(file.endIndex, offsetBy: -3)]
        if relative.hasByteSuffix("/__init__") { relative = relative.droppingBytes(last: 9) }
        return Substring(relative.map { $0 == "/" || $0 == "\\" ? "." : $0 })
    }

    /// `pkg.Error: message`, `Error`, or a bare message.
    private static func exceptionLine(_ text: Substring) -> (String?, String?) {
        if let colon = text.byteRange(of: ": ") {
            let type = text[..<colon.lowerBound]
            if isTypeName(type) { return (type.owned, text[colon.upperBound...].cappedMessage) }
        }
        if text.utf8.last == UInt8(ascii: ":"), isTypeName(text.droppingBytes(last: 1)) { return (text.droppingBytes(last: 1).owned, nil) }
        if isTypeName(text) { return (text.owned, nil) }
        return (nil, text.cappedMessage)
    }

    private static func isTypeName(_ text: Substring) -> Bool {
        text.withBytes { bytes in
            !bytes.isEmpty && bytes.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte >= 0x80
            }
        }
    }

    private static func isCaretLine(_ text: Substring) -> Bool {
        text.withBytes { bytes in
            bytes.allSatisfy { $0 == UInt8(ascii: "^") || $0 == UInt8(ascii: "~") || $0 == 0x20 }
        }
    }
}
