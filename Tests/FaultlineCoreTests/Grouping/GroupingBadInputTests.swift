import FaultlineTestSupport
import FaultlineCore
import Foundation
import Testing

/// Bad input at the grouper: never a crash, the raw text always kept, the grouping work linear in the
/// input. Work is counted in steps (bytes and lines the parser visits, message bytes, frames and name bytes
/// the normaliser and fingerprinter examine), never timed.
@Suite struct GroupingBadInputTests {
    private func event(type: String = "E", message: String = "m", stack: String, language: String? = nil) -> ErrorEvent {
        ErrorEvent(traceID: "1", spanID: "2", service: "shop", errorType: type, errorMessage: message, errorStack: stack, language: language)
    }

    private func grouped(_ event: ErrorEvent) -> (GroupedEvent, steps: Int) {
        var steps = 0
        let result = Grouper().group(event, steps: &steps)
        return (result, steps)
    }

    private func isSHA256Hex(_ value: String) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    @Test(arguments: [nil, "python", "jvm", "go", "nodejs", "ruby", "dotnet", "php", "cpp"])
    func emptyEverythingStillGroups(language: String?) {
        let (result, _) = grouped(event(type: "", message: "", stack: "", language: language))
        #expect(result.stackTrace.raw == "")
        #expect(result.fingerprint.parts == ["type:", "message:"])
        #expect(isSHA256Hex(result.fingerprint.value))
        #expect(result.fingerprint.version == Grouper.version)
    }

    @Test(arguments: GroupingTestsCorpus.directories)
    func truncatedTracesKeepTheirRawText(directory: String) throws {
        let fixture = try GroupingFixture.load(directory, "v1-checkout-a")
        let characters = Array(fixture.stack)
        for fraction in [0.1, 0.33, 0.5, 0.77, 0.95] {
            let cut = String(characters.prefix(Int(Double(characters.count) * fraction)))
            let (result, _) = grouped(event(type: fixture.type, message: fixture.message, stack: cut, language: GroupingFixture.languageTags[directory]))
            #expect(result.stackTrace.raw == cut)
            #expect(isSHA256Hex(result.fingerprint.value))
        }
    }

    @Test(arguments: [nil, "python", "jvm", "go", "nodejs", "ruby", "dotnet", "php", "cpp"])
    func binaryGarbageKeepsItsRawText(language: String?) {
        var generator = SplitMix64(seed: 42)
        let garbage = String(decoding: (0..<65_536).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, as: UTF8.self)
        let (result, _) = grouped(event(type: garbage, message: garbage, stack: garbage, language: language))
        #expect(result.stackTrace.raw == garbage)
        #expect(isSHA256Hex(result.fingerprint.value))
        #expect(result.fingerprint.parts.contains("note:message truncated to \(MessageNormalizer.maxBytes) bytes"))
        #expect(result.fingerprint.parts[0].utf8.count <= "type:".utf8.count + Fingerprinter.maxTypeBytes)
    }

    @Test func tenMegabyteTraceIsLinear() throws {
        let fixture = try GroupingFixture.load("java", "v1-checkout-a")
        func trace(bytes: Int) -> String {
            let unit = fixture.stack
            return String(repeating: unit, count: bytes / unit.utf8.count + 1)
        }
        let small = trace(bytes: 1_000_000)
        let large = trace(bytes: 10_000_000)
        let (smallResult, smallSteps) = grouped(event(message: small, stack: small, language: "jvm"))
        let (largeResult, largeSteps) = grouped(event(message: large, stack: large, language: "jvm"))
        #expect(largeResult.stackTrace.raw.utf8.count == large.utf8.count)
        #expect(smallResult.stackTrace.raw == small)
        #expect(isSHA256Hex(largeResult.fingerprint.value))
        // Ten times the input may cost at most ten times the work (plus a little), never its square.
        #expect(largeSteps <= 11 * smallSteps + 10_000, "1 MB: \(smallSteps) steps, 10 MB: \(largeSteps) steps")
        #expect(largeSteps <= 4 * large.utf8.count, "\(largeSteps) steps for \(large.utf8.count) bytes")
        #expect(largeSteps >= large.utf8.count / 100, "the parser's work is counted")
    }

    @Test(arguments: [ChainFormat.java, .python, .dotnet])
    func tenThousandNestedCausesAreLinear(format: ChainFormat) {
        let (thousand, thousandSteps) = grouped(event(stack: format.text(causes: 1_000), language: format.language))
        let text = format.text(causes: 10_000)
        let (tenThousand, tenThousandSteps) = grouped(event(stack: text, language: format.language))
        #expect(tenThousand.stackTrace.raw == text)
        #expect(thousand.stackTrace.raw.utf8.count < text.utf8.count)
        #expect(tenThousand.fingerprint.parts.filter { $0.hasPrefix("cause:") }.count <= Fingerprinter.maxCauses)
        #expect(tenThousandSteps <= 11 * thousandSteps + 10_000, "1,000: \(thousandSteps) steps, 10,000: \(tenThousandSteps) steps")
    }

    /// Chains of causes written the way each runtime prints them.
    enum ChainFormat: String, Sendable, CaseIterable {
        case java, python, dotnet

        var language: String {
            switch self {
            case .java: "jvm"
            case .python: "python"
            case .dotnet: "dotnet"
            }
        }

        func text(causes: Int) -> String {
            var out = ""
            switch self {
            case .java:
                out += "java.lang.RuntimeException: level 0\n\tat com.acme.Job.run(Job.java:10)\n"
                for level in 1...causes {
                    out += "Caused by: java.lang.IllegalStateException: level \(level)\n\tat com.acme.Job.step\(level % 7)(Job.java:\(level))\n\t... 1 more\n"
                }
            case .python:
                for level in (0...causes).reversed() {
                    out += "Traceback (most recent call last):\n  File \"/app/job.py\", line \(level + 1), in step\(level % 7)\n    raise\n"
                    out += "ValueError: level \(level)\n"
                    if level > 0 { out += "\nThe above exception was the direct cause of the following exception:\n\n" }
                }
            case .dotnet:
                out += "System.InvalidOperationException: level 0"
                for level in 1...causes { out += " ---> System.IO.IOException: level \(level)" }
                out += "\n   at Acme.Job.Run() in /src/Job.cs:line 10\n"
                for _ in 1...causes { out += "   --- End of inner exception stack trace ---\n" }
            }
            return out
        }
    }
}

enum GroupingTestsCorpus {
    static let directories = ["python", "node", "java", "go", "ruby", "php"]
}
