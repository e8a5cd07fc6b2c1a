/// JVM traces as `Throwable.printStackTrace` prints them (Java, Kotlin, Scala): a `Type: message` header,
/// `\tat pkg.Class.method(File.java:12)` frames (module prefixes like `java.base/`, `Native Method`,
/// `Unknown Source`), `Caused by:` and `Suppressed:` sections and `... N more` elisions.
enum JavaTraceParser {
    static func parse(_ lines: [Substring], context: inout ParseContext) -> [ExceptionTrace] {
        var exceptions: [ExceptionTrace] = []
        var current: ExceptionTrace?
        var frames: [Frame] = []
        var inHeader = false
        var trimmedFrames = 0
        var centreCut = false
        var afterCut = false
        var ownerCut = false
        var abbreviated = false

        func flush() {
            guard var exception = current else { return }
            exception.frames = frames
            exceptions.append(exception)
            current = nil
            frames = []
        }

        for (number, line) in lines.enumerated() {
            context.work += 1
            let text = line.trimmingBlanks
            if text.isEmpty { continue }
            if text.hasBytePrefix("... trace centre-cut to "), text.hasByteSuffix(" chars ...") {
                // A frame line cut before its `)` never parses; a header line cut inside its type would.
                if inHeader, frames.isEmpty, number > 0, var exception = current {
                    let before = lines[number - 1].trimmingBlanks
                    let body = before.dropping(prefix: "Caused by: ") ?? before.dropping(prefix: "Suppressed: ") ?? before
                    if body.byteRange(of: ": ") == nil, exceptionHeader(body, relation: exception.relation).type == exception.type {
                        exception.type = nil
                        exception.message = nil
                        current = exception
                    }
                }
                inHeader = false
                centreCut = true
                afterCut = true
                ownerCut = true
                continue
            }
            if afterCut {
                // The first line after the cut starts anywhere in a line: keep it only when it is whole.
                afterCut = false
                let whole = text.hasBytePrefix("at ") || text.hasBytePrefix("Caused by: ") || text.hasBytePrefix("Suppressed: ")
                    || (text.hasBytePrefix("...") && text.hasByteSuffix(" more"))
                if !whole { continue }
            }
            if ownerCut, text.hasBytePrefix("at ") {
                // Frames after the cut belong to an exception whose header may be gone.
                ownerCut = false
                flush()
                current = ExceptionTrace(relation: exceptions.isEmpty ? .primary : .cause)
            }
            if ownerCut, text.hasBytePrefix("Caused by: ") || text.hasBytePrefix("Suppressed: ") { ownerCut = false }
            if let frameText = text.dropping(prefix: "at ") {
                inHeader = false
                if current == nil { current = ExceptionTrace() }
                if !context.isFull(frames), let frame = frame(frameText, context: context) {
                    if !abbreviated, let module = frame.module, JVMPackageAbbreviation.isAbbreviated(module) { abbreviated = true }
                    frames.append(frame)
                }
                continue
            }
            if text.hasBytePrefix("..."), text.hasByteSuffix(" more") { inHeader = false; continue }
            if text.hasBytePrefix("... "), text.hasByteSuffix(" trimmed ..."),
               let count = text.droppingBytes(first: 4, last: 12).decimalValue {
                inHeader = false
                trimmedFrames += count
                continue
            }
            if let header = text.dropping(prefix: "Caused by: ") {
                flush()
                current = exceptionHeader(header, relation: .cause)
                inHeader = true
                continue
            }
            if let header = text.dropping(prefix: "Suppressed: ") {
                flush()
                current = exceptionHeader(header, relation: .suppressed)
                inHeader = true
                continue
            }
            if inHeader, var exception = current {
                // A message spanning several lines continues until the first frame.
                ParseContext.append(line, to: &exception.message)
                current = exception
                continue
            }
            if current == nil && exceptions.isEmpty {
                current = exceptionHeader(stripThreadPrefix(text), relation: .primary)
                inHeader = true
            }
        }
        flush()
        if abbreviated {
            context.warnings.append("the tracer abbreviated package names to their initials (c.a.l.LedgerService) to fit its length limit")
        }
        if trimmedFrames > 0 {
            context.warnings.append("the tracer trimmed \(trimmedFrames) frames from the middle of exceptions to fit its length limit; they were never sent")
        }
        if centreCut {
            context.warnings.append("the tracer cut the middle of the trace to fit its length limit; exceptions whose header was cut have no type")
        }
        if frames.isEmpty, exceptions.isEmpty { return [] }
        return exceptions
    }

    /// `at [module/]pkg.Class$Inner.method(File.java:12)` and its variants.
    static func frame(_ text: Substring, context: ParseContext) -> Frame? {
        guard let open = text.firstIndex(ofByte: UInt8(ascii: "(")) else { return nil }
        var name = text[..<open]
        // Class loader and module prefixes: `java.base/java.lang.Integer.parseInt`, `app//com.acme.Main.run`,
        // `java.base@17.0.2/…`. A `/` after `$$Lambda$14` belongs to a hidden class name and stays.
        if let slash = name.firstIndex(ofByte: UInt8(ascii: "/")), !name[..<slash].contains(bytes: "$") {
            name = name[name.utf8.index(after: slash)...]
            while name.utf8.first == UInt8(ascii: "/") { name = name.droppingBytes(first: 1) }
        }
        guard let close = text[open...].firstIndex(ofByte: UInt8(ascii: ")")) else { return nil }
        let location = text[text.utf8.index(after: open)..<close]

        var module: Substring?
        var function = name
        if let dot = name.lastIndex(ofByte: UInt8(ascii: ".")) {
            module = name[..<dot]
            function = name[name.utf8.index(after: dot)...]
        }
        var file: Substring?
        var line: Int?
        if location.isExactly("Native Method") || location.hasBytePrefix("Unknown Source") {
            file = nil
        } else if let colon = location.lastIndex(ofByte: UInt8(ascii: ":")),
                  let number = location[location.utf8.index(after: colon)...].decimalValue {
            file = location[..<colon]
            line = number
        } else if !location.isEmpty {
            file = location
        }
        return context.frame(function: function, module: module, file: file, line: line)
    }

    /// `java.io.IOException: message`, or just the type.
    static func exceptionHeader(_ text: Substring, relation: ExceptionTrace.Relation) -> ExceptionTrace {
        if let colon = text.byteRange(of: ": ") {
            let type = text[..<colon.lowerBound]
            if !type.contains(bytes: " ") {
                return ExceptionTrace(
                    type: type.owned, message: text[colon.upperBound...].cappedMessage,
                    relation: relation)
            }
        }
        if !text.contains(bytes: " ") { return ExceptionTrace(type: text.owned, relation: relation) }
        return ExceptionTrace(message: text.cappedMessage, relation: relation)
    }

    /// `Exception in thread "main" java.lang.X: …` → `java.lang.X: …`.
    private static func stripThreadPrefix(_ text: Substring) -> Substring {
        guard text.hasBytePrefix("Exception in thread \""),
              let quote = text.droppingBytes(first: 21).firstIndex(ofByte: UInt8(ascii: "\""))
        else { return text }
        return text[text.utf8.index(after: quote)...].trimmingBlanks
    }
}
