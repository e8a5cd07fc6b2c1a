/// What one parse carries along: the in-app rules, limits, warnings and a count of the work done, so tests
/// can check that parsing stays linear in the size of the input without timing anything.
struct ParseContext {
    /// Frames kept per exception; the rest are dropped with a warning.
    static let maxFramesPerException = 256
    /// Exceptions kept per trace; the rest are dropped with a warning.
    static let maxExceptions = 64
    /// Frames kept per trace, over all its exceptions (the first exceptions keep theirs first).
    static let maxFramesPerTrace = 1_024
    /// Characters kept of one exception message (the raw text keeps everything).
    static let maxMessageBytes = 8 * 1024

    let language: Language
    let rules: InAppRules
    /// The span's `error.message`, for a format whose text leaves out what only the message carries.
    var reportedMessage: String?
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
        let whole = text[...]
        // Line boundaries as byte offsets first (one tight pass), then O(1) index arithmetic per line.
        let bounds = whole.withBytes { bytes -> [(Int, Int)] in
            var bounds: [(Int, Int)] = []
            var start = 0
            var offset = 0
            while offset < bytes.count {
                if bytes[offset] == 0x0A {
                    let end = offset > start && bytes[offset - 1] == 0x0D ? offset - 1 : offset
                    bounds.append((start, end))
                    start = offset + 1
                }
                offset += 1
            }
            if start < bytes.count {
                let end = bytes[bytes.count - 1] == 0x0D ? bytes.count - 1 : bytes.count
                bounds.append((start, end))
            }
            return bounds
        }
        work += text.utf8.count
        return bounds.map { whole.bytes($0.0, $0.1) }
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
            message = line.cappedMessage
            return
        }
        guard text.utf8.count < maxMessageBytes else { return }
        text += "\n"
        text += line.cappedMessage
        if text.utf8.count > maxMessageBytes { text = text[...].cappedMessage }
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
        var budget = Self.maxFramesPerTrace
        var droppedFromTrace = 0
        for index in kept.indices {
            let count = kept[index].frames.count
            if count > budget {
                droppedFromTrace += count - budget
                kept[index].frames.removeSubrange(budget...)
            }
            budget -= kept[index].frames.count
        }
        if droppedFromTrace > 0 {
            warnings.append(
                "dropped \(droppedFromTrace) frames beyond \(Self.maxFramesPerTrace) per trace; they stay in the raw text")
        }
        return kept
    }
}
