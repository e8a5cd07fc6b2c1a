@testable import FaultlineCore
import Testing

/// PHP traces printed by the runtime (see Tests/Fixtures/stacks/SOURCES.md), frame by frame.
@Suite struct PHPFixtureTests {
    static let root = Fixtures.root

    static let cases: [FixtureCase] = [
        FixtureCase(
            "php/trace_as_string.txt", .php,
            exceptions: [
                exception(.primary, nil, nil),
            ],
            frames: [
                frame(0, "checkout", "Shop\\OrderService", nil, nil, inApp: true),
                frame(0, "handle", nil, "\(root)/php/app/index.php", 7, inApp: true),
                frame(0, "{main}", nil, "\(root)/php/app/index.php", 14, inApp: true),
            ]),
        FixtureCase(
            "php/uncaught.txt", .php,
            exceptions: [
                exception(.primary, "LogicException", "checkout of order 42 failed"),
                exception(.cause, "RuntimeException", "gateway answered 503"),
            ],
            frames: [
                frame(0, "checkout", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 13, inApp: true),
                frame(0, "handle", nil, "\(root)/php/app/index.php", 7, inApp: true),
                frame(0, "{main}", nil, "\(root)/php/app/index.php", 11, inApp: true),
                frame(1, "Shop\\{closure}", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 22, inApp: true),
                frame(1, "send", "Acme\\Http\\Client", "\(root)/php/app/vendor/acme/http/src/Client.php", 9, inApp: false),
                frame(1, "Shop\\{closure}", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 21, inApp: true),
                frame(1, "array_map", nil, "[internal function]", nil, inApp: false),
                frame(1, "charge", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 20, inApp: true),
                frame(1, "checkout", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 11, inApp: true),
                frame(1, "handle", nil, "\(root)/php/app/index.php", 7, inApp: true),
                frame(1, "{main}", nil, "\(root)/php/app/index.php", 11, inApp: true),
            ]),
        FixtureCase(
            "php/to_string.txt", .php,
            exceptions: [
                exception(.primary, "LogicException", "checkout of order 42 failed"),
                exception(.cause, "RuntimeException", "gateway answered 503"),
            ],
            frames: [
                frame(0, "checkout", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 13, inApp: true),
                frame(0, "handle", nil, "\(root)/php/app/index.php", 7, inApp: true),
                frame(0, "{main}", nil, "\(root)/php/app/index.php", 14, inApp: true),
                frame(1, "Shop\\{closure}", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 22, inApp: true),
                frame(1, "send", "Acme\\Http\\Client", "\(root)/php/app/vendor/acme/http/src/Client.php", 9, inApp: false),
                frame(1, "Shop\\{closure}", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 21, inApp: true),
                frame(1, "array_map", nil, "[internal function]", nil, inApp: false),
                frame(1, "charge", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 20, inApp: true),
                frame(1, "checkout", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 11, inApp: true),
                frame(1, "handle", nil, "\(root)/php/app/index.php", 7, inApp: true),
                frame(1, "{main}", nil, "\(root)/php/app/index.php", 14, inApp: true),
            ]),
    ]

    @Test(arguments: cases)
    func parsesFixture(_ fixture: FixtureCase) throws {
        try Fixtures.check(fixture)
    }

    /// dd-trace-php's `error.stack` for a chain starts with the innermost exception's trace and no header:
    /// its type and throw position are only in `error.message`, which the parser reads for them.
    @Test("dd-trace-php chain: the innermost exception's header and throw frame come from error.message")
    func ddtracePreviousChain() throws {
        let text = try Fixtures.text("php/ddtrace_previous.txt")
        let reported = try Fixtures.text("php/ddtrace_previous.message").trimmingCharacters(in: .newlines)
        let root = Self.root
        let trace = StackTraceParser.parse(text, language: .php, reportedMessage: reported)
        #expect(trace.warnings.isEmpty, "\(trace.warnings)")
        #expect(trace.exceptions.map { ExpectedException(relation: $0.relation, type: $0.type, message: $0.message) } == [
            exception(.primary, "LogicException", "checkout of order 42 failed"),
            exception(.cause, "RuntimeException", "gateway answered 503"),
        ])
        let frames = trace.exceptions.enumerated().flatMap { index, exception in
            exception.frames.map {
                ExpectedFrame(exception: index, function: $0.function, module: $0.module, file: $0.file, line: $0.line, inApp: $0.inApp)
            }
        }
        #expect(frames == [
            frame(0, "checkout", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 13, inApp: true),
            frame(0, "handle", nil, "\(root)/php/app/index.php", 7, inApp: true),
            frame(0, "{main}", nil, "\(root)/php/app/index.php", 14, inApp: true),
            frame(1, "Shop\\{closure}", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 22, inApp: true),
            frame(1, "send", "Acme\\Http\\Client", "\(root)/php/app/vendor/acme/http/src/Client.php", 9, inApp: false),
            frame(1, "Shop\\{closure}", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 21, inApp: true),
            frame(1, "array_map", nil, "[internal function]", nil, inApp: false),
            frame(1, "charge", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 20, inApp: true),
            frame(1, "checkout", "Shop\\OrderService", "\(root)/php/app/src/OrderService.php", 11, inApp: true),
            frame(1, "handle", nil, "\(root)/php/app/index.php", 7, inApp: true),
            frame(1, "{main}", nil, "\(root)/php/app/index.php", 14, inApp: true),
        ])
    }

    /// The states dd-trace-php prefixes (`Caught` with the failed response's status, `Thrown`) read the same;
    /// a message that is not dd-trace-php's header leaves the text's own (missing) header alone.
    @Test(arguments: [
        ("Caught RuntimeException (500 Internal Server Error): gateway answered 503 in /srv/src/OrderService.php:22", "RuntimeException", 22),
        ("Thrown RuntimeException in /srv/src/OrderService.php:22", "RuntimeException", 22),
        ("gateway answered 503", nil, nil),
        ("Uncaught gateway answered 503", nil, nil),
    ] as [(String, String?, Int?)])
    func reportedMessageForms(_ reported: String, _ type: String?, _ line: Int?) throws {
        let text = "#0 /srv/src/OrderService.php(21): Shop\\Client->send()\n#1 {main}\n"
        let innermost = try #require(StackTraceParser.parse(text, language: .php, reportedMessage: reported).exceptions.first)
        #expect(innermost.type == type)
        #expect(innermost.frames.first?.function == "send")
        #expect(innermost.frames.first?.line == line)
        #expect(innermost.frames.first?.file == (line == nil ? nil : "/srv/src/OrderService.php"))
    }
}
