@testable import FaultlineCore
import Testing

/// Go traces printed by the runtime (see Tests/Fixtures/stacks/SOURCES.md), frame by frame.
@Suite struct GoFixtureTests {
    static let root = Fixtures.root

    static let cases: [FixtureCase] = [
        FixtureCase(
            "go/ddtrace.txt", .go,
            exceptions: [
                exception(.primary, nil, nil),
            ],
            frames: [
                frame(0, "(*handler).serve.func1", "main", "\(root)/go/shop/main.go", 46, inApp: true),
                frame(0, "(*Store).Reserve.func1", "example.com/shop/orders", "\(root)/go/shop/orders/orders.go", 26, inApp: true),
                frame(0, "Do", "github.com/acme/retry", "\(root)/go/gopath/pkg/mod/github.com/acme/retry@v1.2.3/retry.go", 7, inApp: false),
                frame(0, "(*Store).Reserve", "example.com/shop/orders", "\(root)/go/shop/orders/orders.go", 24, inApp: true),
                frame(0, "(*handler).serve", "main", "\(root)/go/shop/main.go", 45, inApp: true),
                frame(0, "main", "main", "\(root)/go/shop/main.go", 76, inApp: true),
                frame(0, "main", "runtime", "/usr/lib/go-1.19/src/runtime/proc.go", 250, inApp: false),
                frame(0, "goexit", "runtime", "/usr/lib/go-1.19/src/runtime/asm_amd64.s", 1594, inApp: false),
            ]),
        FixtureCase(
            "go/ddtrace_trimpath.txt", .go,
            exceptions: [
                exception(.primary, nil, nil),
            ],
            frames: [
                frame(0, "(*handler).serve.func1", "main", "example.com/shop/main.go", 46, inApp: true),
                frame(0, "(*Store).Reserve.func1", "example.com/shop/orders", "example.com/shop/orders/orders.go", 26, inApp: true),
                frame(0, "Do", "github.com/acme/retry", "github.com/acme/retry@v1.2.3/retry.go", 7, inApp: false),
                frame(0, "(*Store).Reserve", "example.com/shop/orders", "example.com/shop/orders/orders.go", 24, inApp: true),
                frame(0, "(*handler).serve", "main", "example.com/shop/main.go", 45, inApp: true),
                frame(0, "main", "main", "example.com/shop/main.go", 76, inApp: true),
                frame(0, "main", "runtime", "runtime/proc.go", 250, inApp: false),
                frame(0, "goexit", "runtime", "runtime/asm_amd64.s", 1594, inApp: false),
            ]),
        FixtureCase(
            "go/panic.txt", .go,
            exceptions: [
                exception(.primary, "panic", "runtime error: index out of range [3] with length 0"),
            ],
            frames: [
                frame(0, "(*Store).Quantity", "example.com/shop/orders", "\(root)/go/shop/orders/orders.go", 19, inApp: true),
                frame(0, "main.func1", "main", "\(root)/go/shop/main.go", 71, inApp: true),
                frame(0, "main", "main", "\(root)/go/shop/main.go", 70, inApp: true),
            ]),
        FixtureCase(
            "go/panic_trimpath.txt", .go,
            exceptions: [
                exception(.primary, "panic", "runtime error: index out of range [3] with length 0"),
            ],
            frames: [
                frame(0, "(*Store).Quantity", "example.com/shop/orders", "example.com/shop/orders/orders.go", 19, inApp: true),
                frame(0, "main.func1", "main", "example.com/shop/main.go", 71, inApp: true),
                frame(0, "main", "main", "example.com/shop/main.go", 70, inApp: true),
            ]),
        FixtureCase(
            "go/debug_stack.txt", .go,
            exceptions: [
                exception(.primary, nil, nil),
            ],
            frames: [
                frame(0, "Stack", "runtime/debug", "/usr/lib/go-1.19/src/runtime/debug/stack.go", 24, inApp: false),
                frame(0, "(*handler).recoverAndReport.func1", "main", "\(root)/go/shop/main.go", 56, inApp: true),
                frame(0, "panic", nil, "/usr/lib/go-1.19/src/runtime/panic.go", 884, inApp: false),
                frame(0, "(*Store).Quantity", "example.com/shop/orders", "\(root)/go/shop/orders/orders.go", 19, inApp: true),
                frame(0, "(*handler).recoverAndReport", "main", "\(root)/go/shop/main.go", 59, inApp: true),
                frame(0, "main", "main", "\(root)/go/shop/main.go", 65, inApp: true),
            ]),
    ]

    @Test(arguments: cases)
    func parsesFixture(_ fixture: FixtureCase) throws {
        try Fixtures.check(fixture)
    }
}
