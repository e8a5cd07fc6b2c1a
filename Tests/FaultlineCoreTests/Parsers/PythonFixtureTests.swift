@testable import FaultlineCore
import Testing

/// Python traces printed by the runtime (see Tests/Fixtures/stacks/SOURCES.md), frame by frame.
@Suite struct PythonFixtureTests {
    static let root = Fixtures.root

    static let cases: [FixtureCase] = [
        FixtureCase(
            "python/chained_cause.txt", .python,
            exceptions: [
                exception(.primary, "shop.orders.CheckoutError", "order 4711 failed"),
                exception(.cause, "payclient.GatewayError", "gateway refused amount 250"),
            ],
            frames: [
                frame(0, "checkout", nil, "\(root)/python/app/shop/orders.py", 18, inApp: true),
                frame(0, "handle", nil, "\(root)/python/app/chained_cause.py", 8, inApp: true),
                frame(0, "<module>", nil, "\(root)/python/app/chained_cause.py", 12, inApp: true),
                frame(1, "_send", "payclient", "\(root)/python/venv/lib/python3.11/site-packages/payclient/__init__.py", 11, inApp: false),
                frame(1, "charge", "payclient", "\(root)/python/venv/lib/python3.11/site-packages/payclient/__init__.py", 7, inApp: false),
                frame(1, "checkout", nil, "\(root)/python/app/shop/orders.py", 16, inApp: true),
            ]),
        FixtureCase(
            "python/implicit_context.txt", .python,
            exceptions: [
                exception(.primary, "ValueError", "invalid literal for int() with base 10: 'not json'"),
                exception(.context, "json.decoder.JSONDecodeError", "Expecting value: line 1 column 1 (char 0)"),
            ],
            frames: [
                frame(0, "<lambda>", nil, "\(root)/python/app/shop/orders.py", 27, inApp: true),
                frame(0, "fallback", nil, "\(root)/python/app/shop/orders.py", 28, inApp: true),
                frame(0, "load", nil, "\(root)/python/app/shop/orders.py", 24, inApp: true),
                frame(0, "<module>", nil, "\(root)/python/app/implicit_context.py", 7, inApp: true),
                frame(1, "raw_decode", "json.decoder", "/root/.pyenv/versions/3.11.7/lib/python3.11/json/decoder.py", 355, inApp: false),
                frame(1, "decode", "json.decoder", "/root/.pyenv/versions/3.11.7/lib/python3.11/json/decoder.py", 337, inApp: false),
                frame(1, "loads", "json", "/root/.pyenv/versions/3.11.7/lib/python3.11/json/__init__.py", 346, inApp: false),
                frame(1, "load", nil, "\(root)/python/app/shop/orders.py", 22, inApp: true),
            ]),
        FixtureCase(
            "python/no_source.txt", .python,
            exceptions: [
                exception(.primary, "IndexError", "list index out of range"),
            ],
            frames: [
                frame(0, "inner", nil, "<generated>", 3, inApp: true),
                frame(0, "outer", nil, "<generated>", 6, inApp: true),
                frame(0, "<module>", nil, "<generated>", 8, inApp: true),
                frame(0, "<module>", nil, "\(root)/python/app/no_source.py", 14, inApp: true),
            ]),
        FixtureCase(
            "python/exception_group.txt", .python,
            exceptions: [
                exception(.primary, "ExceptionGroup", "validation failed (2 sub-exceptions)"),
                exception(.cause, "ValueError", "negative -1"),
                exception(.cause, "KeyError", "7"),
            ],
            frames: [
                frame(0, "validate", nil, "\(root)/python/app/exception_group.py", 15, inApp: true),
                frame(0, "<module>", nil, "\(root)/python/app/exception_group.py", 18, inApp: true),
                frame(1, "check", nil, "\(root)/python/app/exception_group.py", 5, inApp: true),
                frame(1, "validate", nil, "\(root)/python/app/exception_group.py", 12, inApp: true),
                frame(2, "check", nil, "\(root)/python/app/exception_group.py", 6, inApp: true),
                frame(2, "validate", nil, "\(root)/python/app/exception_group.py", 12, inApp: true),
            ]),
    ]

    @Test(arguments: cases)
    func parsesFixture(_ fixture: FixtureCase) throws {
        try Fixtures.check(fixture)
    }
}
