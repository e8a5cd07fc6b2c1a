import FaultlineCore
@testable import FaultlineEnrichment
import FaultlineGit
import FaultlineTestSupport
import Foundation
import Testing

/// dd-trace-java's abbreviated frames (`c.a.l.LedgerService`) resolve by file name and package initials
/// against a real repository's tree.
@Suite("Abbreviated JVM frames")
struct AbbreviatedJVMFrameTests {
    static let files = [
        "src/main/java/com/acme/ledger/LedgerService.java", "src/main/java/com/acme/ledger/LedgerController.java",
        "src/main/java/com/acme/ledger/JournalRepository.java", "src/main/java/com/acme/loans/Rates.java",
        "src/main/java/com/acme/lending/Rates.java", "docs/LedgerService.java",
    ]

    static func index() throws -> (CommitIndex, GitFixture) {
        let fixture = try GitFixture(name: "ledger")
        for path in files { try fixture.write(path, "class X {}\n") }
        let sha = try fixture.commit("Ledger")
        let paths = try GitRepository.open(at: fixture.work.path).filePaths(commit: sha)
        return (CommitIndex(commitSHA: sha, paths: paths), fixture)
    }

    @Test func framesOfTheTruncatedFixtureResolveToTheirFiles() throws {
        let (index, _) = try Self.index()
        let stacks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/stacks/java/ledger_trimmed.txt")
        let text = try String(contentsOf: stacks, encoding: .utf8)
        let trace = StackTraceParser.parse(text, language: .jvm)
        let resolver = FrameResolver()
        var resolved: [String: String] = [:]
        for frame in trace.exceptions.flatMap(\.frames) {
            let result = resolver.resolve(frame, language: .jvm, in: index)
            if case .found(let path, let method, _) = result {
                #expect(frame.inApp, "library frame \(frame.module ?? "-") resolved to \(path)")
                #expect(method == .jvmPackage)
                resolved[frame.module ?? ""] = path
            } else {
                #expect(!frame.inApp, "\(frame.module ?? "-"): \(result)")
            }
        }
        #expect(resolved["c.a.l.LedgerService"] == "src/main/java/com/acme/ledger/LedgerService.java")
        #expect(resolved["c.a.l.LedgerController"] == "src/main/java/com/acme/ledger/LedgerController.java")
        #expect(resolved["c.a.l.JournalRepository"] == "src/main/java/com/acme/ledger/JournalRepository.java")
    }

    @Test func filesMatchingTheSameInitialsAreATie() throws {
        let (index, _) = try Self.index()
        let frame = Frame(function: "rate", module: "c.a.l.Rates", file: "Rates.java", line: 3, inApp: true)
        guard case .ambiguous(let candidates, _) = FrameResolver().resolve(frame, language: .jvm, in: index) else {
            Issue.record("two files under c/a/l were not a tie")
            return
        }
        #expect(candidates == ["src/main/java/com/acme/lending/Rates.java", "src/main/java/com/acme/loans/Rates.java"])
    }

    @Test func otherInitialsAreNotInTheRepository() throws {
        let (index, _) = try Self.index()
        let frame = Frame(function: "post", module: "o.a.l.LedgerService", file: "LedgerService.java", line: 3, inApp: true)
        guard case .notInRepository = FrameResolver().resolve(frame, language: .jvm, in: index) else {
            Issue.record("o.a.l matched com/acme/ledger")
            return
        }
    }
}
