@testable import FaultlineCore
import Testing

/// Which runtime printed a trace, told from the text alone (spans without a `language` tag).
@Suite struct FormatDetectionTests {
    static let samples: [(String, Language)] = [
        ("Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>", .python),
        ("  File \"/app/a.py\", line 3, in run", .python),
        ("java.lang.Error\n\tat com.acme.A.run(A.java:3)", .jvm),
        ("x\n\tat jdk.internal.misc.Unsafe.park(Native Method)", .jvm),
        ("Caused by: java.io.IOException: x", .jvm),
        ("main.main()\n\t/app/main.go:5 +0x1d", .go),
        ("goroutine 1 [running]:", .go),
        ("Error: x\n    at run (/app/a.js:1:2)", .nodejs),
        ("Error: x\n    at async run (file:///app/a.mjs:1:2)", .nodejs),
        ("/app/a.rb:3:in `run'", .ruby),
        ("/app/a.rb:3:in 'A#run': boom (RuntimeError)", .ruby),
        ("System.Exception: x\n   at A.B.C() in C:\\src\\A.cs:line 4", .dotnet),
        ("System.Exception: x\n   at A.B.C(Int32 id)", .dotnet),
        ("#0 /app/a.php(3): run()\n#1 {main}", .php),
        ("#0 {main}", .php),
        ("    #0 0x4f in main /src/a.cpp:3:5", .cpp),
        ("#1  0x000055 in run (x=1) at a.cpp:9", .cpp),
        (" 0# run() at /src/a.cpp:9", .cpp),
        ("something went wrong\nplease retry", .unknown),
        ("", .unknown),
    ]

    @Test(arguments: samples)
    func detects(text: String, expected: Language) {
        #expect(StackTraceParser.parse(text).language == expected)
    }

    @Test func unknownTextIsKeptWholeAndFrameless() {
        let text = "upstream returned 502\nno details"
        let trace = StackTraceParser.parse(text)
        #expect(trace.language == .unknown)
        #expect(trace.exceptions.isEmpty)
        #expect(trace.raw == text)
    }

    @Test func aWrongTagFallsBackToTheTextWithAWarning() throws {
        let text = try Fixtures.text("python/implicit_context.txt")
        let trace = StackTraceParser.parse(text, language: .jvm)
        #expect(trace.language == .python)
        #expect(trace.frames.count == 4)
        #expect(trace.warnings.contains { $0.contains("language tag") })
    }

    @Test func theTagWinsWhenItsParserFindsFrames() {
        // Java-looking text tagged as Kotlin's runtime family stays JVM; a Node trace tagged node stays Node.
        let trace = StackTraceParser.parse("Error: x\n    at run (/app/a.js:1:2)", language: .nodejs)
        #expect(trace.language == .nodejs)
        #expect(trace.warnings.isEmpty)
    }
}
