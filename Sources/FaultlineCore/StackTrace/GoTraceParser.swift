/// Go stacks: dd-trace-go's `takeStacktrace` text (a function line, then `\tfile:line`), and runtime panics /
/// `debug.Stack()` output (`panic: …`, `goroutine N [running]:`, `pkg.fn(args)` then `\tfile:line +0x1f`,
/// `created by …`). Only the first goroutine is parsed: it is the one that failed.
enum GoTraceParser {
    static func parse(_ lines: [Substring], context: inout ParseContext) -> [ExceptionTrace] {
        var exception = ExceptionTrace()
        var frames: [Frame] = []
        var pendingFunction: Substring?
        var seenGoroutine = false
        var messageOpen = false

        for line in lines {
            context.work += 1
            if line.utf8.first == 0x09 {
                messageOpen = false
                // `\t/path/file.go:12 +0x1f` completes the function line before it.
                guard let function = pendingFunction else { continue }
                pendingFunction = nil
                var location = line.trimmingBlanks
                if let space = location.firstIndex(ofByte: 0x20) { location = location[..<space] }
                if context.isFull(frames) { continue }
                let parsed = location.fileLineColumn
                frames.append(frame(function: function, file: parsed?.file ?? location, line: parsed?.line, context: context))
                continue
            }
            let text = line.trimmingBlanks
            if text.isEmpty { pendingFunction = nil; messageOpen = false; continue }
            if text.hasBytePrefix("goroutine "), text.hasByteSuffix("]:") {
                if seenGoroutine || !frames.isEmpty { break }
                seenGoroutine = true
                messageOpen = false
                continue
            }
            if frames.isEmpty, !seenGoroutine {
                if let message = text.dropping(prefix: "panic: ") {
                    exception.type = "panic"
                    exception.message = message.cappedMessage
                    messageOpen = true
                    continue
                }
                if let message = text.dropping(prefix: "fatal error: ") {
                    exception.type = "fatal error"
                    exception.message = message.cappedMessage
                    messageOpen = true
                    continue
                }
            }
            if messageOpen, !looksLikeFunction(text) {
                ParseContext.append(text, to: &exception.message)
                continue
            }
            messageOpen = false
            pendingFunction = text
        }
        guard !frames.isEmpty || exception.type != nil else { return [] }
        exception.frames = frames
        return [exception]
    }

    /// A frame from a function line (`pkg/path.(*T).M.func1(0x1, …)`, `created by main.main in goroutine 1`).
    private static func frame(function text: Substring, file: Substring, line: Int?, context: ParseContext) -> Frame {
        var name = text
        if let created = name.dropping(prefix: "created by ") {
            name = created
            if let inGoroutine = name.byteRange(of: " in goroutine ") { name = name[..<inGoroutine.lowerBound] }
        }
        if let open = name.openingOfTrailingGroup { name = name[..<open] }
        let (module, function) = split(name)
        return context.frame(function: function, module: module, file: file, line: line)
    }

    /// Go symbol names: the package path runs to the first dot after the last slash
    /// (`github.com/acme/retry.Do`, `example.com/shop/orders.(*Store).Reserve.func1`, `main.main`).
    static func split(_ name: Substring) -> (module: Substring?, function: Substring) {
        let searchFrom = name.lastIndex(ofByte: UInt8(ascii: "/")) ?? name.startIndex
        guard let dot = name[searchFrom...].firstIndex(ofByte: UInt8(ascii: ".")) else { return (nil, name) }
        return (name[..<dot], name[name.utf8.index(after: dot)...])
    }

    /// A line that can start a frame rather than continue a panic message.
    private static func looksLikeFunction(_ text: Substring) -> Bool {
        text.hasBytePrefix("created by ") || (!text.contains(bytes: " ") && text.contains(bytes: "."))
    }
}
