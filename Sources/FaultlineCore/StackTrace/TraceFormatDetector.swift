/// Guesses which runtime printed a stack trace from its first lines, for spans without a `language` tag.
enum TraceFormatDetector {
    /// Lines looked at; a trace that shows no known frame by then is treated as unknown text.
    static let linesExamined = 200

    static func detect(_ lines: [Substring], work: inout Int) -> Language {
        for line in lines.prefix(linesExamined) {
            work += 1
            if let language = classify(line) { return language }
        }
        return .unknown
    }

    /// The language a single line unmistakably belongs to, if any.
    static func classify(_ line: Substring) -> Language? {
        let text = line.trimmingLeadingBlanks
        guard let first = text.utf8.first else { return nil }
        if first == UInt8(ascii: "|") || first == UInt8(ascii: "+") && text.utf8.dropFirst().first == 0x20 {
            // Python exception group margins.
            if first == UInt8(ascii: "+"), text.hasBytePrefix("+ Exception Group Traceback") { return .python }
            return classify(text.droppingBytes(first: 1))
        }
        switch first {
        case UInt8(ascii: "T") where text.hasBytePrefix("Traceback (most recent call last)"):
            return .python
        case UInt8(ascii: "F") where text.hasBytePrefix("File \"") && text.contains(bytes: "\", line "):
            return .python
        case UInt8(ascii: "a") where text.hasBytePrefix("at "):
            return classifyAtFrame(text.droppingBytes(first: 3))
        case UInt8(ascii: "#"):
            return classifyNumberedFrame(text)
        case UInt8(ascii: "g") where line.hasBytePrefix("goroutine ") && text.hasByteSuffix("]:"):
            return .go
        case UInt8(ascii: "p") where line.hasBytePrefix("panic: "):
            return .go
        case UInt8(ascii: "C") where line.hasBytePrefix("Caused by: "):
            return .jvm
        case UInt8(ascii: "-") where text.hasBytePrefix("--- End of ") || text.hasBytePrefix("---> "):
            return .dotnet
        default:
            break
        }
        if line.utf8.first == 0x09, text.contains(bytes: ".go:") { return .go }
        if RubyTraceParser.isFrameLine(text) { return .ruby }
        if text.contains(bytes: "AddressSanitizer") { return .cpp }
        if first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9"), let hash = text.firstIndex(ofByte: UInt8(ascii: "#")),
           text[..<hash].isDigits, text[text.utf8.index(after: hash)...].hasBytePrefix(" ") {
            return .cpp
        }
        return nil
    }

    private static func classifyAtFrame(_ rest: Substring) -> Language? {
        if rest.contains(bytes: ") in "), rest.contains(bytes: ":line ") { return .dotnet }
        if rest.hasBytePrefix("async ") || rest.hasBytePrefix("new ") { return .nodejs }
        if rest.contains(bytes: ".java:") || rest.contains(bytes: ".kt:") || rest.contains(bytes: ".scala:") { return .jvm }
        if let open = rest.openingOfTrailingGroup {
            let inside = rest[rest.utf8.index(after: open)..<rest.utf8.index(before: rest.endIndex)]
            if inside.isExactly("Native Method") || inside.hasBytePrefix("Unknown Source") { return .jvm }
            if inside.isExactly("<anonymous>") || inside.isExactly("native") || inside.hasBytePrefix("node:")
                || inside.hasBytePrefix("file://") {
                return .nodejs
            }
            if let location = inside.fileLineColumn {
                return location.column == nil ? .jvm : .nodejs
            }
            if inside.isEmpty || inside.contains(bytes: " ") { return .dotnet }
            if inside.contains(bytes: ".java") || inside.contains(bytes: ".kt") || inside.contains(bytes: ".scala") {
                return .jvm
            }
            return nil
        }
        if let location = rest.fileLineColumn, location.column != nil { return .nodejs }
        return nil
    }

    private static func classifyNumberedFrame(_ text: Substring) -> Language? {
        var rest = text.droppingBytes(first: 1)
        let digits = rest.utf8.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !digits.isEmpty else { return nil }
        rest = rest[digits.endIndex...]
        if rest.hasBytePrefix(" 0x") || rest.hasBytePrefix("  ") { return .cpp }
        if rest.contains(bytes: "{main}") || rest.contains(bytes: "[internal function]") || rest.contains(bytes: "): ") {
            return .php
        }
        if rest.contains(bytes: " at ") || rest.contains(bytes: " in ") { return .cpp }
        return nil
    }
}
