import FaultlineTestSupport
import Foundation
@testable import FaultlineCore
import Testing

/// Bad input never crashes a parser, the raw text is always kept, limits hold, and the work done grows
/// linearly with the input (counted in steps, never timed).
@Suite struct RobustnessTests {
    static let tags: [Language?] = [nil] + Language.allCases.map { Optional($0) }

    @Test(arguments: tags)
    func emptyTextIsKeptAndFrameless(language: Language?) {
        for text in ["", "\n", "   \n\t\n", "\r\n"] {
            let trace = StackTraceParser.parse(text, language: language)
            #expect(trace.raw == text)
            #expect(trace.frames.isEmpty)
            #expect(!trace.warnings.isEmpty)
        }
    }

    @Test(arguments: tags)
    func binaryGarbageIsKeptWhole(language: Language?) {
        var generator = SplitMix64(seed: 0x5EED)
        for length in [1, 7, 64, 4096, 65_536] {
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Sprinkle line breaks and trace-looking punctuation so parsers get past their first checks.
            for index in stride(from: 0, to: bytes.count, by: 13) { bytes[index] = [0x0A, 0x09, 0x3A, 0x28][index % 4] }
            let text = String(decoding: bytes, as: UTF8.self)
            let trace = StackTraceParser.parse(text, language: language)
            #expect(trace.raw == text)
            #expect(trace.exceptions.count <= ParseContext.maxExceptions)
        }
    }

    /// Every fixture cut at many points parses without crashing, keeps the cut text, and never yields more
    /// frames than the whole trace.
    @Test(arguments: allFixturePaths())
    func truncatedFixturesStaySafe(path: String) throws {
        let text = try Fixtures.text(path)
        let whole = StackTraceParser.parse(text)
        let wholeFrames = whole.exceptions.reduce(0) { $0 + $1.frames.count }
        let bytes = Array(text.utf8)
        for cut in stride(from: 0, to: bytes.count, by: 29) {
            let prefix = String(decoding: bytes[..<cut], as: UTF8.self)
            for language in [nil, whole.language] {
                let trace = StackTraceParser.parse(prefix, language: language)
                #expect(trace.raw == prefix)
                #expect(trace.exceptions.reduce(0) { $0 + $1.frames.count } <= wholeFrames + 1)
            }
        }
    }

    /// Fixtures with random bytes replaced, inserted and deleted (a fixed seed): every parser, no crash.
    @Test(arguments: allFixturePaths())
    func mutatedFixturesStaySafe(path: String) throws {
        let original = Array(try Fixtures.text(path).utf8)
        var generator = SplitMix64(seed: UInt64(original.count))
        let alphabet = Array("():#@.,'`\"/\\ \t\n0123456789atin-+|^~{}<>".utf8) + [0xC3, 0xA9, 0xFF]
        for _ in 0..<60 {
            var bytes = original
            for _ in 0..<(1 + Int(generator.next() % 12)) where !bytes.isEmpty {
                let position = Int(generator.next() % UInt64(bytes.count))
                let byte = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                switch generator.next() % 3 {
                case 0: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                default: bytes.remove(at: position)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            for language in Self.tags {
                let trace = StackTraceParser.parse(text, language: language)
                #expect(trace.raw == text)
            }
        }
    }

    @Test func tenMegabyteTraceIsCappedAndKept() {
        let frameLine = "\tat com.acme.shop.OrderService.process(OrderService.java:42)\n"
        let count = 10_000_000 / frameLine.utf8.count + 1
        let text = "java.lang.IllegalStateException: deep\n" + String(repeating: frameLine, count: count)
        #expect(text.utf8.count > 10_000_000)
        let trace = StackTraceParser.parse(text, language: .jvm)
        #expect(trace.raw.utf8.count == text.utf8.count)
        #expect(trace.frames.count == ParseContext.maxFramesPerException)
        #expect(trace.frames.first?.function == "process")
        #expect(trace.warnings.contains { $0.contains("frames beyond") })
    }

    @Test func tenMegabyteSingleLineIsKeptWhole() {
        let text = String(repeating: "x", count: 10 * 1024 * 1024)
        let trace = StackTraceParser.parse(text)
        #expect(trace.raw.utf8.count == text.utf8.count)
        #expect(trace.language == .unknown)
        #expect(trace.exceptions.isEmpty)
    }

    @Test(arguments: NestedChain.allCases)
    func tenThousandNestedCausesAreCapped(chain: NestedChain) {
        let text = chain.text(depth: 10_000)
        let trace = StackTraceParser.parse(text, language: chain.language)
        #expect(trace.raw == text)
        #expect(trace.language == chain.language)
        #expect(trace.exceptions.count == ParseContext.maxExceptions)
        #expect(trace.exceptions.first?.relation == .primary)
        #expect(trace.exceptions.first?.frames.isEmpty == false)
        #expect(trace.warnings.contains { $0.contains("chained exceptions") })
    }

    /// Work per input byte stays flat when a chain doubles in depth: no step re-reads earlier exceptions.
    @Test(arguments: NestedChain.allCases)
    func workIsLinearInChainDepth(chain: NestedChain) {
        let small = chain.text(depth: 2_000)
        let large = chain.text(depth: 4_000)
        let smallPerByte = Double(work(small, chain.language)) / Double(small.utf8.count)
        let largePerByte = Double(work(large, chain.language)) / Double(large.utf8.count)
        #expect(smallPerByte >= 1)
        #expect(largePerByte <= smallPerByte * 1.05, "work per byte \(smallPerByte) → \(largePerByte)")
    }

    /// Doubling a trace (a fixture repeated n and 2n times) at most doubles the work.
    @Test(arguments: allFixturePaths())
    func workIsLinearInRepeatedFrames(path: String) throws {
        let text = try Fixtures.text(path)
        let language = StackTraceParser.parse(text).language
        let small = work(String(repeating: text, count: 200), language)
        let large = work(String(repeating: text, count: 400), language)
        #expect(small >= 200 * text.utf8.count)
        #expect(large <= 2 * small + 1_000, "work \(small) → \(large)")
    }

    private func work(_ text: String, _ language: Language) -> Int {
        var work = 0
        _ = StackTraceParser.parse(text, language: language, inApp: .default, work: &work)
        return work
    }
}

/// Chains of nested causes in each runtime's own layout.
enum NestedChain: String, CaseIterable, Sendable {
    case java, python, dotnet, ruby, php

    var language: Language {
        switch self {
        case .java: .jvm
        case .python: .python
        case .dotnet: .dotnet
        case .ruby: .ruby
        case .php: .php
        }
    }

    func text(depth: Int) -> String {
        var text = ""
        switch self {
        case .java:
            text += "java.lang.RuntimeException: level 0\n\tat com.acme.A.run(A.java:1)\n"
            for level in 1..<depth {
                text += "Caused by: java.lang.RuntimeException: level \(level)\n\tat com.acme.A.run(A.java:\(level))\n\t... 1 more\n"
            }
        case .python:
            for level in (0..<depth).reversed() {
                text += "Traceback (most recent call last):\n  File \"/app/a.py\", line \(level + 1), in run\n    go()\n"
                text += "ValueError: level \(level)\n"
                if level > 0 { text += "\nThe above exception was the direct cause of the following exception:\n\n" }
            }
        case .dotnet:
            text += "System.Exception: level 0\n"
            for level in 1..<depth { text += " ---> System.Exception: level \(level)\n" }
            for level in (0..<depth).reversed() {
                text += "   at Acme.A.Run() in /src/A.cs:line \(level + 1)\n"
                if level > 0 { text += "   --- End of inner exception stack trace ---\n" }
            }
        case .ruby:
            for level in 0..<depth {
                text += "/app/a.rb:\(level + 1):in `run': level \(level) (RuntimeError)\n\tfrom /app/main.rb:1:in `<main>'\n"
            }
        case .php:
            for level in (0..<depth).reversed() {
                text += level == depth - 1 ? "PHP Fatal error:  Uncaught " : "\nNext "
                text += "RuntimeException: level \(level) in /app/a.php:\(level + 1)\nStack trace:\n#0 /app/index.php(3): run()\n#1 {main}\n"
            }
            text += "  thrown in /app/a.php on line 1\n"
        }
        return text
    }
}

func allFixturePaths() -> [String] {
    let root = Fixtures.stacksDirectory
    let names = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String]) ?? []
    return names.filter { $0.hasSuffix(".txt") }.sorted()
}

/// Every fixture repeated to about 2 MB parses with its own parser within the caps, keeping the text.
@Suite struct LargeTraceTests {
    @Test(arguments: allFixturePaths())
    func largeRepeatedFixtureStaysWithinCaps(path: String) throws {
        let text = try Fixtures.text(path)
        let language = StackTraceParser.parse(text).language
        let large = String(repeating: text + "\n", count: 2_000_000 / (text.utf8.count + 1) + 1)
        let trace = StackTraceParser.parse(large, language: language)
        #expect(trace.raw == large)
        #expect(trace.exceptions.count <= ParseContext.maxExceptions)
        #expect(trace.exceptions.allSatisfy { $0.frames.count <= ParseContext.maxFramesPerException })
        #expect(!trace.frames.isEmpty)
    }
}
