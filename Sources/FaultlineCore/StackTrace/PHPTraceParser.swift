/// PHP traces: `getTraceAsString()` lines (`#0 /path/file.php(12): Class->method()`, `#1 [internal
/// function]: fn()`, `#2 {main}`) and PHP's uncaught report (`PHP Fatal error:  Uncaught Type: message in
/// /path:12`, `Stack trace:`, `Next Type: …` for each later exception of the chain, `thrown in … on line N`).
/// dd-trace-php sends the report's layout without its first header, which it puts in `error.message`.
///
/// A PHP trace line names the function *called* from `file(line)`: the code at that position belongs to the
/// function on the next line. Frames are rebuilt that way, so each frame's function owns its file and line,
/// and the throw position from the header (when printed) becomes the innermost frame.
enum PHPTraceParser {
    private struct Entry {
        var file: Substring?
        var line: Int?
        var call: Substring
    }

    private struct Block {
        var type: Substring?
        var message: Substring?
        var throwFile: Substring?
        var throwLine: Int?
        var entries: [Entry] = []
    }

    static func parse(_ lines: [Substring], context: inout ParseContext) -> [ExceptionTrace] {
        var blocks: [Block] = []
        var current: Block?

        for line in lines {
            context.work += 1
            let text = line.trimmingBlanks
            if text.isEmpty || text.isExactly("Stack trace:") || text.hasBytePrefix("thrown in ") { continue }
            if text.utf8.first == UInt8(ascii: "#"), let entry = entry(text) {
                if current == nil { current = Block() }
                // One more entry than frames: each frame takes its function from the next entry.
                if current?.entries.count ?? 0 <= ParseContext.maxFramesPerException {
                    current?.entries.append(entry)
                } else {
                    context.noteDroppedFrame()
                }
                continue
            }
            var headerText = text
            if let rest = headerText.dropping(prefix: "PHP ") { headerText = rest }
            if let rest = headerText.dropping(prefix: "Fatal error:") {
                headerText = rest.trimmingBlanks
            }
            var isHeader = false
            if let rest = headerText.dropping(prefix: "Uncaught ") ?? headerText.dropping(prefix: "Next ") {
                headerText = rest
                isHeader = true
            }
            // `Throwable::__toString()` starts with a bare `Type: message in /path/file.php:12`.
            let block = header(headerText)
            if isHeader || (block.throwFile != nil && block.type?.contains(bytes: " ") == false) {
                if let finished = current { blocks.append(finished) }
                current = block
            }
        }
        if let block = current { blocks.append(block) }
        if var first = blocks.first, first.type == nil, first.throwFile == nil, !first.entries.isEmpty,
           let reported = context.reportedMessage.flatMap({ reportedHeader($0[...]) }) {
            first.type = reported.type
            first.message = reported.message
            first.throwFile = reported.throwFile
            first.throwLine = reported.throwLine
            blocks[0] = first
        }

        // The uncaught report prints the earliest previous exception first and the thrown one last.
        var exceptions: [ExceptionTrace] = []
        for block in blocks.reversed() {
            exceptions.append(ExceptionTrace(
                type: block.type?.owned, message: block.message.map { $0.cappedMessage },
                frames: frames(block, context: &context), relation: exceptions.isEmpty ? .primary : .cause))
        }
        return exceptions
    }

    private static func frames(_ block: Block, context: inout ParseContext) -> [Frame] {
        guard let first = block.entries.first else {
            guard block.throwFile != nil else { return [] }
            return [context.frame(function: "{main}", module: nil, file: block.throwFile, line: block.throwLine)]
        }
        var frames: [Frame] = []
        frames.reserveCapacity(block.entries.count)
        frames.append(frame(call: first.call, file: block.throwFile, line: block.throwLine, context: context))
        for index in 0..<(block.entries.count - 1) {
            let entry = block.entries[index]
            frames.append(frame(call: block.entries[index + 1].call, file: entry.file, line: entry.line, context: context))
        }
        return context.capped(frames)
    }

    private static func frame(call: Substring, file: Substring?, line: Int?, context: ParseContext) -> Frame {
        var name = call
        if let open = name.openingOfTrailingGroup { name = name[..<open] }
        var module: Substring?
        if let arrow = name.byteRange(of: "->") ?? name.byteRange(of: "::") {
            module = name[..<arrow.lowerBound]
            name = name[arrow.upperBound...]
        }
        return context.frame(function: name, module: module, file: file, line: line)
    }

    /// `#3 /path/file.php(12): Class->method(args)`, `#4 [internal function]: fn()`, `#5 {main}`.
    private static func entry(_ text: Substring) -> Entry? {
        guard let space = text.firstIndex(ofByte: 0x20), text[text.utf8.index(after: text.startIndex)..<space].isDigits else {
            return nil
        }
        let rest = text[text.utf8.index(after: space)...]
        if rest.isExactly("{main}") { return Entry(call: rest) }
        guard let separator = rest.byteRange(of: "): ") ?? rest.byteRange(of: "]: ") else { return nil }
        let isInternal = rest.utf8[separator.lowerBound] == UInt8(ascii: "]")
        let call = rest[separator.upperBound...]
        let location = rest[..<separator.lowerBound]
        // PHP prints `[internal function]` where a file would be: keep it as the frame's file, as printed.
        guard !isInternal else { return Entry(file: "[internal function]", call: call) }
        guard let open = location.lastIndex(ofByte: UInt8(ascii: "(")) else { return Entry(call: call) }
        return Entry(file: location[..<open], line: location[location.utf8.index(after: open)...].decimalValue, call: call)
    }

    /// The exception's own message when `reported` is exactly dd-trace-php's `error.message` form
    /// (`Uncaught Type: message in /path/file.php:12`, `Caught`/`Thrown`, `Type (500 …): message`): without
    /// the tracer's state prefix, type and throw position, which would put the install path in the issue.
    /// Nil for any other text.
    static func exceptionMessage(ofReported reported: String) -> String? {
        guard let block = reportedHeader(reported[...]) else { return nil }
        return block.message.map { String($0.trimmingBlanks) } ?? ""
    }

    /// dd-trace-php's `error.message`: `Uncaught Type: message in /path/file.php:12` (`Caught` or `Thrown` by
    /// state, `Type (500 Internal Server Error)` when the response failed). Its `error.stack` starts with the
    /// innermost exception's trace without a header, so this is the only place its type and throw position are.
    private static func reportedHeader(_ text: Substring) -> Block? {
        let trimmed = text.trimmingBlanks
        guard let body = trimmed.dropping(prefix: "Uncaught ") ?? trimmed.dropping(prefix: "Caught ")
            ?? trimmed.dropping(prefix: "Thrown ")
        else { return nil }
        var block = header(body)
        if let type = block.type, let status = type.byteRange(of: " (") { block.type = type[..<status.lowerBound] }
        guard block.throwFile != nil, let type = block.type, !type.isEmpty, !type.contains(bytes: " ") else { return nil }
        return block
    }

    /// `Type: message in /path/file.php:12` (the message may be empty).
    private static func header(_ text: Substring) -> Block {
        var block = Block()
        var body = text
        if let inRange = body.lastByteRange(of: " in "), let location = body[inRange.upperBound...].fileLineColumn {
            block.throwFile = location.file
            block.throwLine = location.line
            body = body[..<inRange.lowerBound]
        }
        if let colon = body.byteRange(of: ": ") {
            block.type = body[..<colon.lowerBound]
            block.message = body[colon.upperBound...]
        } else {
            block.type = body
        }
        return block
    }
}
