import FaultlineTestSupport
import FaultlineCore
import Testing

/// Deterministic fuzzing: messages and frame names assembled from the fragments the scanners react to,
/// in every order. A trap (index out of range, overflow) would fail the run; the work must stay linear.
@Suite struct GroupingFuzzTests {
    static let fragments = [
        "'", "\"", "`", "\\", ":", "::", ".", "..", "0x", "0X1f", "1", "42", "3.14", "1e9", "2026-11-24", "T", "10:00:00",
        "10:00", "+01:00", "Z", "Nov", "Tue,", "Monday", " ", "  ", "\n", "@", "http://", "https://a.b/c?d=e", "/", "\\\\",
        "-", "_", "e", "+", "µs", "ms", "s", "h", "<", ">", "<>c", "$", "$$", "$$Lambda", "$1", "d__", "b__0_1", "g__L|",
        "func1", ".func2", "@anonymous", "(", ")", "[", "]", "{closure:", "}", "=", "&", "?", "|", "!", ",", ";", "#",
        "example.com", "10.0.0.1", "fe80::1", "550e8400-e29b-41d4-a716-446655440000", "d41d8cd98f00b204e9800998ecf8427e",
        "é", "日本", "\u{0}", "\u{FFFD}", "block in ", "async ", "new ", " [as x]", "GeneratedMethodAccessor7", "$Proxy9",
        "user_1", "a@b.io", "24/Nov/2026:10:00:00 +0000", "Tue Nov 24 10:00:00 UTC 2026", "MoveNext", ".MoveNext",
    ]

    @Test func randomMessagesAndNamesNeverTrap() {
        var generator = SplitMix64(seed: 2026)
        var frames: [Frame] = []
        for round in 0..<3_000 {
            let count = Int(generator.next() % 24)
            var text = ""
            for _ in 0..<count { text += Self.fragments[Int(generator.next() % UInt64(Self.fragments.count))] }
            let normalized = MessageNormalizer.normalize(text)
            #expect(normalized.steps <= 64 * (text.utf8.count + 1), "\(text.debugDescription)")
            switch round % 3 {
            case 0: frames.append(Frame(function: text, module: String(text.reversed())))
            case 1: frames.append(Frame(function: text, file: text))
            default: frames.append(Frame(module: text, inApp: round % 2 == 0))
            }
        }
        for language in Language.allCases {
            for chunk in stride(from: 0, to: frames.count, by: 100) {
                let trace = StackTrace(language: language, exceptions: [ExceptionTrace(frames: Array(frames[chunk..<min(chunk + 100, frames.count)]))], raw: "")
                let fingerprint = Fingerprinter.fingerprint(type: "E", message: MessageNormalizer.normalize("m"), trace: trace)
                #expect(fingerprint.value.utf8.count == 64)
            }
        }
    }
}
