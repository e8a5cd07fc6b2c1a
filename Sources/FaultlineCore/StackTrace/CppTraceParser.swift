/// Native C++ backtraces that carry file and line: AddressSanitizer reports (`#0 0x4a in fn file.cpp:14:3`),
/// gdb's `bt` (`#4  0x55 in fn (args) at file.cpp:13`) and boost / C++23 `std::stacktrace`
/// (` 0# fn at file.cpp:12`). Frames without a source position keep the binary as their file. Only the first
/// stack is parsed (ASan follows with allocation stacks of the same memory).
enum CppTraceParser {
    static func parse(_ lines: [Substring], context: inout ParseContext) -> [ExceptionTrace] {
        var exception = ExceptionTrace()
        var frames: [Frame] = []
        var sawFrames = false

        for line in lines {
            context.work += 1
            let text = line.trimmingBlanks
            if text.isEmpty {
                if sawFrames { break }
                continue
            }
            if let body = frameBody(text) {
                sawFrames = true
                if context.isFull(frames) { continue }
                frames.append(frame(body, context: context))
                continue
            }
            if sawFrames { break }
            if exception.type == nil, let error = text.byteRange(of: "ERROR: AddressSanitizer: ") {
                let rest = text[error.upperBound...]
                let end = rest.firstIndex(ofByte: 0x20) ?? rest.endIndex
                exception.type = rest[..<end].owned
                exception.message = rest.cappedMessage
            } else if exception.type == nil, exception.message == nil, !text.hasBytePrefix("=====") {
                exception.message = text.cappedMessage
            }
        }
        guard !frames.isEmpty else { return [] }
        exception.frames = frames
        return [exception]
    }

    /// The text after the frame number: `#3 …`, `#3  …` or ` 3# …`.
    private static func frameBody(_ text: Substring) -> Substring? {
        let bytes = text.utf8
        if bytes.first == UInt8(ascii: "#") {
            let afterHash = text.droppingBytes(first: 1)
            let digits = afterHash.utf8.prefix { $0 >= 0x30 && $0 <= 0x39 }
            guard !digits.isEmpty, digits.endIndex < afterHash.endIndex,
                  afterHash.utf8[digits.endIndex] == 0x20
            else { return nil }
            return afterHash[digits.endIndex...].trimmingBlanks
        }
        let digits = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !digits.isEmpty, let rest = text[digits.endIndex...].dropping(prefix: "# ") else { return nil }
        return rest.trimmingBlanks
    }

    private static func frame(_ body: Substring, context: ParseContext) -> Frame {
        var rest = body
        // Drop the program counter: `0x55f48cde65e1 in …`.
        if rest.hasBytePrefix("0x"), let inRange = rest.byteRange(of: " in ") { rest = rest[inRange.upperBound...] }
        var function = rest
        var file: Substring?
        var line: Int?
        var column: Int?
        if let at = rest.lastByteRange(of: " at "), let location = rest[at.upperBound...].fileLineColumn {
            // gdb and std::stacktrace: `fn (args) at file:line`.
            function = rest[..<at.lowerBound]
            file = location.file
            line = location.line
            column = location.column
            if let open = function.lastByteRange(of: " ("), function.openingOfTrailingGroup == function.utf8.index(after: open.lowerBound) {
                function = function[..<open.lowerBound]
            }
        } else if let space = rest.lastIndex(ofByte: 0x20) {
            let last = rest[rest.utf8.index(after: space)...]
            if let location = last.fileLineColumn {
                // ASan: `fn file:line[:col]`.
                function = rest[..<space]
                file = location.file
                line = location.line
                column = location.column
            } else if last.utf8.first == UInt8(ascii: "("), last.utf8.last == UInt8(ascii: ")") {
                // `fn (binary+0x1180)`: no source position; keep the binary.
                function = rest[..<space]
                var binary = last.droppingBytes(first: 1, last: 1)
                if let plus = binary.lastIndex(ofByte: UInt8(ascii: "+")) { binary = binary[..<plus] }
                file = binary
            } else if let from = rest.lastByteRange(of: " from ") {
                // gdb: `fn () from /lib/x86_64-linux-gnu/libc.so.6`.
                function = rest[..<from.lowerBound]
                file = rest[from.upperBound...]
                if let open = function.lastByteRange(of: " ("), function.openingOfTrailingGroup == function.utf8.index(after: open.lowerBound) {
                    function = function[..<open.lowerBound]
                }
            }
        }
        let (module, name) = split(function.trimmingBlanks)
        return context.frame(function: name, module: module, file: file, line: line, column: column)
    }

    /// `shop::OrderService::reserve(std::vector<int> const&, int)` → (`shop::OrderService`, `reserve`): the
    /// parameter list and qualifiers dropped, split at the last `::` outside brackets.
    static func split(_ signature: Substring) -> (Substring?, Substring) {
        var name = signature
        if name.hasByteSuffix(" const") { name = name.droppingBytes(last: 6) }
        if let open = name.openingOfTrailingGroup, open > name.startIndex { name = name[..<open] }
        var depth = 0
        var lastSeparator: Substring.Index?
        var index = name.utf8.startIndex
        while index < name.utf8.endIndex {
            switch name.utf8[index] {
            case UInt8(ascii: "("), UInt8(ascii: "<"), UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: ">"), UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ":") where depth == 0:
                let next = name.utf8.index(after: index)
                if next < name.utf8.endIndex, name.utf8[next] == UInt8(ascii: ":") {
                    lastSeparator = index
                    index = next
                }
            default: break
            }
            index = name.utf8.index(after: index)
        }
        guard let separator = lastSeparator else { return (nil, name) }
        return (name[..<separator], name[name.utf8.index(separator, offsetBy: 2)...])
    }
}
