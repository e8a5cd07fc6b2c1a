/// .NET `Exception.ToString()`: the outer `Type: message` header, inner exceptions after ` ---> `, then the
/// frames of the innermost exception first, each inner block closed by `--- End of inner exception stack
/// trace ---`; frames `at Ns.Type.Method(args) in C:\path\File.cs:line 42`; async state machines
/// (`<Method>d__7.MoveNext()`) and `--- End of stack trace from previous location ---` markers.
enum DotNetTraceParser {
    static func parse(_ lines: [Substring], context: inout ParseContext) -> [ExceptionTrace] {
        // Headers outermost first; frame blocks innermost first.
        var headers: [ExceptionTrace] = []
        var blocks: [[Frame]] = [[]]
        var framesStarted = false

        for line in lines {
            context.work += 1
            let text = line.trimmingBlanks
            if text.isEmpty { continue }
            if let frameText = text.dropping(prefix: "at ") {
                framesStarted = true
                let last = blocks.count - 1
                if context.isFull(blocks[last]) { continue }
                blocks[last].append(frame(frameText, context: context))
                continue
            }
            if text.hasBytePrefix("--- End of inner exception stack trace") {
                blocks.append([])
                continue
            }
            if text.hasBytePrefix("--- End of stack trace from previous location") { continue }
            if framesStarted {
                // `---> (Inner Exception #0) Type: message` after an AggregateException's own trace.
                if let inner = text.dropping(prefix: "---> (Inner Exception #") ,
                   let close = inner.byteRange(of: ") ") {
                    headers.append(header(inner[close.upperBound...], relation: .cause))
                }
                continue
            }
            // Header lines: the first, then ` ---> Inner: message` lines; old runtimes put them on one line.
            var rest = text
            if let inner = rest.dropping(prefix: "---> ") { rest = inner }
            // Console hosts prefix the first header: `Unhandled exception. ` (.NET Core),
            // `Unhandled Exception: ` (.NET Framework).
            if let unhandled = rest.dropping(prefix: "Unhandled exception. ") ?? rest.dropping(prefix: "Unhandled Exception: ") {
                rest = unhandled
            }
            while let arrow = rest.byteRange(of: " ---> ") {
                headers.append(header(rest[..<arrow.lowerBound], relation: headers.isEmpty ? .primary : .cause))
                rest = rest[arrow.upperBound...]
            }
            if !rest.isEmpty {
                if text.hasBytePrefix("---> ") || headers.isEmpty {
                    headers.append(header(rest, relation: headers.isEmpty ? .primary : .cause))
                } else {
                    let last = headers.count - 1
                    ParseContext.append(rest, to: &headers[last].message)
                }
            }
        }
        if headers.isEmpty {
            guard blocks.contains(where: { !$0.isEmpty }) else { return [] }
            headers.append(ExceptionTrace())
        }
        // Block k belongs to header (count - 1 - k): the innermost exception's frames print first.
        for (offset, block) in blocks.enumerated() {
            let target = headers.count - 1 - offset
            guard target >= 0 else {
                if !block.isEmpty { context.warnings.append("frames after the outermost exception were not attributed") }
                break
            }
            headers[target].frames = block
        }
        return headers
    }

    /// `Ns.Type.Method(Int32 id) in /src/File.cs:line 42`, `Ns.Type.<Method>d__7.MoveNext()`, `lambda_method5(…)`.
    static func frame(_ text: Substring, context: ParseContext) -> Frame {
        var name = text
        var file: Substring?
        var line: Int?
        if let open = text.firstIndex(ofByte: UInt8(ascii: "(")) {
            name = text[..<open]
            let afterArgs = text[open...]
            if let inRange = afterArgs.byteRange(of: ") in ") {
                var location = afterArgs[inRange.upperBound...]
                if let lineRange = location.lastByteRange(of: ":line ") {
                    line = location[lineRange.upperBound...].decimalValue
                    location = location[..<lineRange.lowerBound]
                }
                file = location
            }
        }
        let (module, function) = split(name)
        return context.frame(function: function, module: module, file: file, line: line)
    }

    /// Splits `Ns.Type.Method` at the last dot, folding `.ctor` and async state machines back to their method.
    static func split(_ name: Substring) -> (module: Substring?, function: Substring) {
        if let ctor = name.byteRange(of: "..") {
            return (name[..<ctor.lowerBound], name[name.utf8.index(after: ctor.lowerBound)...])
        }
        if let moveNext = name.lastByteRange(of: ".MoveNext"), moveNext.upperBound == name.endIndex {
            let machine = name[..<moveNext.lowerBound]
            if let open = machine.lastByteRange(of: ".<"), let close = machine[open.upperBound...].byteRange(of: ">d__") {
                return (machine[..<open.lowerBound], machine[open.upperBound..<close.lowerBound])
            }
        }
        guard let dot = name.lastIndex(ofByte: UInt8(ascii: ".")) else { return (nil, name) }
        return (name[..<dot], name[name.utf8.index(after: dot)...])
    }

    /// `System.InvalidOperationException: message`, `SocketException (111): message`, or a bare type.
    private static func header(_ text: Substring, relation: ExceptionTrace.Relation) -> ExceptionTrace {
        if let colon = text.byteRange(of: ": ") {
            var type = text[..<colon.lowerBound]
            if let space = type.firstIndex(ofByte: 0x20) { type = type[..<space] }
            return ExceptionTrace(
                type: type.owned, message: text[colon.upperBound...].cappedMessage,
                relation: relation)
        }
        if !text.contains(bytes: " ") { return ExceptionTrace(type: text.owned, relation: relation) }
        return ExceptionTrace(message: text.cappedMessage, relation: relation)
    }
}
