/// V8 stacks as Node.js prints `err.stack`: a `Type: message` header, then `    at fn (file:line:col)`,
/// `    at file:line:col`, `at async fn (…)`, `at new Ctor (…)`, `at Type.method [as alias] (…)`,
/// with `file://` URLs, `node:internal/…` and Windows paths.
enum NodeTraceParser {
    static func parse(_ lines: [Substring], context: inout ParseContext) -> [ExceptionTrace] {
        var exception = ExceptionTrace()
        var frames: [Frame] = []
        var headerDone = false

        for line in lines {
            context.work += 1
            let text = line.trimmingBlanks
            if let frameText = text.dropping(prefix: "at ") {
                headerDone = true
                if context.isFull(frames) { continue }
                frames.append(frame(frameText, context: context))
                continue
            }
            guard !headerDone, !text.isEmpty else { continue }
            if exception.type == nil, exception.message == nil {
                let (type, message) = header(text)
                exception.type = type
                exception.message = message
            } else {
                ParseContext.append(line, to: &exception.message)
            }
        }
        guard !frames.isEmpty || exception.type != nil else { return [] }
        exception.frames = frames
        return [exception]
    }

    static func frame(_ text: Substring, context: ParseContext) -> Frame {
        var body = text
        if let rest = body.dropping(prefix: "async ") { body = rest }
        var name: Substring?
        var location = body
        if let open = body.openingOfTrailingGroup {
            name = body[..<open].trimmingBlanks
            location = body[body.utf8.index(after: open)..<body.utf8.index(before: body.endIndex)]
            // `eval at fn (file:1:2), <anonymous>:3:4`: the evaluated code's own position comes last.
            if location.hasBytePrefix("eval at "), let comma = location.lastByteRange(of: ", ") {
                location = location[comma.upperBound...]
            }
        }
        if var function = name {
            if let alias = function.byteRange(of: " [as ") { function = function[..<alias.lowerBound] }
            name = function
        }
        var file: Substring? = location
        var line: Int?
        var column: Int?
        if let parsed = location.fileLineColumn {
            file = parsed.file
            line = parsed.line
            column = parsed.column
        }
        // V8's placeholders for code with no source position (`new Promise (<anonymous>)`, `async
        // Promise.all (index 1)`, `Array.map (native)`) name the runtime's built-ins, not a file.
        let builtIn = line == nil && (location.utf8.elementsEqual("<anonymous>".utf8) || location.utf8.elementsEqual("native".utf8)
            || (location.hasBytePrefix("index ") && location.dropFirst(6).allSatisfy(\.isNumber)))
        if builtIn { file = nil }
        let (module, function) = split(name)
        var frame = context.frame(function: function, module: module, file: file, line: line, column: column)
        if builtIn { frame.inApp = false }
        return frame
    }

    /// `Inventory.reserve` → (`Inventory`, `reserve`); `new Inventory`, plain names and anonymous frames stay whole.
    private static func split(_ name: Substring?) -> (Substring?, Substring?) {
        guard let name, !name.hasBytePrefix("new "), let dot = name.firstIndex(ofByte: UInt8(ascii: ".")),
              dot > name.startIndex
        else { return (nil, name) }
        return (name[..<dot], name[name.utf8.index(after: dot)...])
    }

    /// `TypeError: message` (type when the part before `: ` is one identifier), else the whole line as message.
    private static func header(_ text: Substring) -> (String?, String?) {
        if let colon = text.byteRange(of: ": ") {
            let type = text[..<colon.lowerBound]
            if !type.isEmpty, !type.contains(bytes: " ") {
                return (type.owned, text[colon.upperBound...].cappedMessage)
            }
        }
        if !text.contains(bytes: " ") { return (text.owned, nil) }
        return (nil, text.cappedMessage)
    }
}
