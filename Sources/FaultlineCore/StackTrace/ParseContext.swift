/// What one parse carries along: the in-app rules, limits, warnings and a count of the work done, so tests
/// can check that parsing stays linear in the size of the input without timing anything.
struct ParseContext {
    /// Frames kept per exception; the rest are dropped with a warning.
    static let maxFramesPerException = 256
    /// Exceptions kept per trace; the rest are dropped with a warning.
    static let maxExceptions = 64
    /// Characters kept of one exception message (the raw text keeps everything).
    static let maxMessageBytes = 8 * 1024

    let language: Language
    let rules: InAppRules
    var warnings: [String] = []
    /// Units of work: bytes split into lines plus one per line visited by a parser.
    var work = 0
    private var droppedFrames = 0

    init(language: Language, rules: InAppRules) {
        self.language = language
        self.rules = rules
    }

    /// Splits text into lines (dropping a trailing carriage return), counting every byte as work.
    mutating func lines(of text: String) -> [Substring] {
        var result: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            if bytes[index] == 0x0A {
                result.append(Self.line(text, start, index))
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        if start < bytes.endIndex { result.append(Self.line(text, start, bytes.endIndex)) }
        work += bytes.count
        return result
    }

    /// Builds a frame and decides whether it is in-app.
    func frame(
        function: Substring?, module: Substring?, file: Substring?, line: Int?, column: Int? = nil,
        context: Substring? = nil
    ) -> Frame {
        let function = function.flatMap { $0.isEmpty ? nil : $0.owned }
        let module = module.flatMap { $0.isEmpty ? nil : $0.owned }
        let file = file.flatMap { $0.isEmpty ? nil : $0.owned }
        let inApp = rules.isInApp(file: file, module: module, function: function, language: language)
        return Frame(
            function: function, module: module, file: file, line: line, column: column, inApp: inApp,
            context: context.flatMap { $0.isEmpty ? nil : $0.owned })
    }

    /// True when an exception already holds as many frames as it may; the caller then counts the frame
    /// as dropped instead of building it.
    mutating func isFull(_ frames: [Frame]) -> Bool {
        guard frames.count >= Self.maxFramesPerException else { return false }
        droppedFrames += 1
        return true
    }

    /// Counts a frame dropped without being built.
    mutating func noteDroppedFrame() {
        droppedFrames += 1
    }

    /// Caps frames (already ordered innermost first), noting what was dropped.
    mutating func capped(_ frames: [Frame]) -> [Frame] {
        guard frames.count > Self.maxFramesPerException else { return frames }
        droppedFrames += frames.count - Self.maxFramesPerException
        return Array(frames.prefix(Self.maxFramesPerException))
    }

    /// Appends a message line, keeping the message within its cap.
    static func append(_ line: Substring, to message: inout String?) {
        guard var text = message else {
            message = String(line.prefix(maxMessageBytes))
            return
        }
        guard text.utf8.count < maxMessageBytes else { return }
        text += "\n"
        text += line.prefix(maxMessageBytes - text.utf8.count)
        message = text
    }

    /// Final limits and warnings on the parsed exceptions (ordered reported first).
    mutating func finish(_ exceptions: [ExceptionTrace]) -> [ExceptionTrace] {
        var kept = exceptions
        if kept.count > Self.maxExceptions {
            warnings.append(
                "kept the first \(Self.maxExceptions) of \(kept.count) chained exceptions; the rest stay in the raw text")
            kept.removeSubrange(Self.maxExceptions...)
        }
        if droppedFrames > 0 {
            warnings.append(
                "dropped \(droppedFrames) frames beyond \(Self.maxFramesPerException) per exception; they stay in the raw text")
        }
        return kept
    }

    private static func line(_ text: String, _ start: String.Index, _ end: String.Index) -> Substring {
        if start < end, text.utf8[text.utf8.index(before: end)] == 0x0D {
            return text[start..<text.utf8.index(before: end)]
        }
        return text[start..<end]
    }
}
