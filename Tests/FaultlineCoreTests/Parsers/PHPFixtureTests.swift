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
}
