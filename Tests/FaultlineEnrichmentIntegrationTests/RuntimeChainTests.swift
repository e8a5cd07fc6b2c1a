import Foundation
import Testing

/// Chained errors raised by real runtimes (Java, Ruby, PHP) in code committed to a real repository, sent
/// with the error tags their Datadog tracer sets: every in-repository frame of every exception shows the
/// deployed commit's line, in the API, the export and `faultline issues show`; runtime and library frames
/// show none. (Python, with real ddtrace, is `ChainedEnrichmentTests`.)
@Suite("Chained exceptions of real runtimes end to end", .serialized)
struct RuntimeChainTests {
    /// `Caused by:` with JDK frames and `... 1 more`, and a `Suppressed:` exception (from try-with-resources)
    /// inside the cause with its own `Caused by:`, as `printStackTrace` prints it (dd-trace-java's
    /// `error.stack`). Frames name only the file: the code is found by package.
    @Test("Java: every frame of a Caused by / Suppressed chain has the deployed commit's code")
    func javaChain() async throws {
        try await RuntimeChainScenario.run(
            fixture: "ledger-java", service: "ledger", language: "jvm", message: "Ledger: post entries through a journal",
            program: { checkout, scratch in
                let sources = try FileManager.default.subpathsOfDirectory(atPath: checkout.appendingPathComponent("src").path)
                    .filter { $0.hasSuffix(".java") }.map { "src/\($0)" }
                let classes = scratch.appendingPathComponent("classes").path
                let compiled = try await Harness.run(Harness.which("javac"), ["-g", "-d", classes] + sources, in: checkout)
                guard compiled.status == 0 else { throw HarnessError("javac failed: \(compiled.stderr)") }
                return try await RuntimeChain.run("java", ["-cp", classes, "com.acme.ledger.Main"], in: checkout)
            },
            repositoryPath: { _, frame in
                guard let module = frame["module"] as? String, module.hasPrefix("com.acme."), let file = frame["file"] as? String,
                      let dot = module.lastIndex(of: ".")
                else { return nil }
                return "src/main/java/" + module[..<dot].replacingOccurrences(of: ".", with: "/") + "/" + file
            },
            verify: { outcome in
                let exceptions = outcome.exceptions
                #expect(exceptions.map { $0["type"] as? String ?? "-" } == [
                    "com.acme.ledger.LedgerException", "java.lang.NumberFormatException", "java.io.UncheckedIOException", "java.io.IOException",
                ])
                #expect(exceptions.map { $0["relation"] as? String ?? "-" } == ["primary", "cause", "suppressed", "cause"])
                #expect(outcome.checked.prefix(3).allSatisfy { $0 >= 1 }, "in-repository frames of the primary, the cause and the suppressed exception: \(outcome.checked)")
                // The lines that raised: the cause's parse and the suppressed exception's throw in close().
                try await expectFirstInRepository(exceptions[1], outcome, contains: "Integer.parseInt(parts[0])")
                try await expectFirstInRepository(exceptions[2], outcome, contains: "throw new UncheckedIOException")
                // JDK frames are there and show no code (checked with every frame above).
                #expect((exceptions[1]["frames"] as? [[String: Any]] ?? []).contains { ($0["module"] as? String) == "java.lang.Integer" })
                #expect(outcome.shown.contains("  suppressed java.io.UncheckedIOException: java.io.IOException: journal for \"12,50 EUR\" was not flushed"), "\(outcome.shown)")
            }
        )
    }

    /// An error raised while rescuing another (`cause`), from a standard library call: dd-trace-rb's
    /// `error.stack` (`Datadog::Core::Error.full_backtrace`) prints each exception of the chain in turn.
    @Test("Ruby: every frame of an error and its cause has the deployed commit's code")
    func rubyChain() async throws {
        try await RuntimeChainScenario.run(
            fixture: "invoices-ruby", service: "invoices", language: "ruby", message: "Invoices: import JSON bodies",
            program: { checkout, _ in
                try await RuntimeChain.run("ruby", [checkout.appendingPathComponent("app.rb").path], in: checkout)
            },
            repositoryPath: Self.inCheckout,
            verify: { outcome in
                let exceptions = outcome.exceptions
                #expect(exceptions.map { $0["type"] as? String ?? "-" } == ["Acme::ImportError", "JSON::ParserError"])
                #expect(exceptions.map { $0["relation"] as? String ?? "-" } == ["primary", "cause"])
                #expect(outcome.checked.allSatisfy { $0 >= 3 }, "\(outcome.checked)")
                try await expectFirstInRepository(exceptions[0], outcome, contains: "raise ImportError")
                try await expectFirstInRepository(exceptions[1], outcome, contains: "JSON.parse(body)")
                // The cause starts in the standard library's json, which shows no code.
                let first = try #require((exceptions[1]["frames"] as? [[String: Any]])?.first)
                #expect((first["file"] as? String ?? "").hasSuffix("/json/common.rb"), "\(first)")
                #expect(first["inApp"] as? Bool == false)
            }
        )
    }

    /// An exception constructed with `previous`, the innermost thrown from a closure run by `array_map` (an
    /// `[internal function]` frame): dd-trace-php's `error.stack` is the innermost trace then a `Next` section
    /// per wrapping exception, and its `error.type` / `error.message` name the innermost one with its throw
    /// position.
    @Test("PHP: every frame of an exception and its previous has the deployed commit's code")
    func phpChain() async throws {
        try await RuntimeChainScenario.run(
            fixture: "checkout-php", service: "checkout", language: "php", message: "Checkout: total orders from the price list",
            program: { checkout, _ in
                // The tracer prints traces without arguments.
                try await RuntimeChain.run("php", ["-d", "zend.exception_ignore_args=1", checkout.appendingPathComponent("index.php").path], in: checkout)
            },
            repositoryPath: Self.inCheckout,
            verify: { outcome in
                let exceptions = outcome.exceptions
                #expect(exceptions.map { $0["type"] as? String ?? "-" } == ["Shop\\Checkout\\CheckoutFailed", "OutOfBoundsException"])
                #expect(exceptions.map { $0["relation"] as? String ?? "-" } == ["primary", "cause"])
                #expect(outcome.checked.allSatisfy { $0 >= 3 }, "\(outcome.checked)")
                try await expectFirstInRepository(exceptions[0], outcome, contains: "throw new CheckoutFailed")
                // The previous exception's throw position is only in error.message; its frame still shows it.
                try await expectFirstInRepository(exceptions[1], outcome, contains: "throw new \\OutOfBoundsException")
                #expect((exceptions[1]["frames"] as? [[String: Any]] ?? []).contains { $0["file"] as? String == "[internal function]" })
                #expect(outcome.shown.contains("  caused by OutOfBoundsException: no price for item \"lamp\""), "\(outcome.shown)")
            }
        )
    }

    /// Ruby and PHP frames carry absolute paths: the repository path is what follows the checkout.
    static func inCheckout(_ checkout: URL, _ frame: [String: Any]) -> String? {
        guard let file = frame["file"] as? String, file.hasPrefix(checkout.path + "/") else { return nil }
        return String(file.dropFirst(checkout.path.count + 1))
    }

    /// The exception's first in-repository frame is the line that raised it, with this text at the commit.
    func expectFirstInRepository(_ exception: [String: Any], _ outcome: RuntimeChainScenario.Outcome, contains text: String) async throws {
        let frames = exception["frames"] as? [[String: Any]] ?? []
        let frame = try #require(frames.first { outcome.expectations.repositoryPath($0) != nil }, "\(exception["type"] ?? "?") has no in-repository frame")
        let path = try #require(outcome.expectations.repositoryPath(frame))
        let line = try #require(frame["line"] as? Int)
        let lines = try await outcome.expectations.repository.show(outcome.expectations.sha, path)
        #expect(lines[line - 1].contains(text), "\(path):\(line) is \"\(lines[line - 1])\", not the line with \(text)")
    }
}
