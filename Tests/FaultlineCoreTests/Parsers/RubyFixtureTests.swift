@testable import FaultlineCore
import Testing

/// Ruby traces printed by the runtime (see Tests/Fixtures/stacks/SOURCES.md), frame by frame.
@Suite struct RubyFixtureTests {
    static let root = Fixtures.root

    static let cases: [FixtureCase] = [
        FixtureCase(
            "ruby/ddtrace_cause.txt", .ruby,
            exceptions: [
                exception(.primary, "Shop::GatewayError", "order 17 unavailable"),
                exception(.cause, "KeyError", "key not found: \"body\""),
            ],
            frames: [
                frame(0, "rescue in fetch", nil, "\(root)/ruby/app/lib/orders.rb", 16, inApp: true),
                frame(0, "fetch", nil, "\(root)/ruby/app/lib/orders.rb", 11, inApp: true),
                frame(0, "<main>", nil, "main.rb", 29, inApp: true),
                frame(1, "fetch", nil, "\(root)/ruby/app/lib/orders.rb", 26, inApp: true),
                frame(1, "block in check", nil, "\(root)/ruby/app/lib/orders.rb", 26, inApp: true),
                frame(1, "each", nil, "\(root)/ruby/app/lib/orders.rb", 26, inApp: true),
                frame(1, "check", nil, "\(root)/ruby/app/lib/orders.rb", 26, inApp: true),
                frame(1, "block in fetch", nil, "\(root)/ruby/app/lib/orders.rb", 13, inApp: true),
                frame(1, "get", nil, "\(root)/ruby/vendor/bundle/ruby/3.1.0/gems/fake_http-0.9.1/lib/fake_http.rb", 5, inApp: false),
                frame(1, "fetch", nil, "\(root)/ruby/app/lib/orders.rb", 12, inApp: true),
                frame(1, "<main>", nil, "main.rb", 29, inApp: true),
            ]),
        FixtureCase(
            "ruby/ruby34_quotes.txt", .ruby,
            exceptions: [
                exception(.primary, "Shop::GatewayError", "order 17 unavailable"),
                exception(.cause, "KeyError", "key not found: \"body\""),
            ],
            frames: [
                frame(0, "fetch", "Shop::OrderService", "/srv/shop/releases/20250101/app/lib/orders.rb", 16, inApp: true),
                frame(0, "fetch", "Shop::OrderService", "/srv/shop/releases/20250101/app/lib/orders.rb", 11, inApp: true),
                frame(0, "<main>", nil, "main.rb", 15, inApp: true),
                frame(1, "fetch", "Hash", "/srv/shop/releases/20250101/app/lib/orders.rb", 26, inApp: true),
                frame(1, "block in check", "Shop::OrderService", "/srv/shop/releases/20250101/app/lib/orders.rb", 26, inApp: true),
                frame(1, "each", "Array", "/srv/shop/releases/20250101/app/lib/orders.rb", 26, inApp: true),
                frame(1, "check", "Shop::OrderService", "/srv/shop/releases/20250101/app/lib/orders.rb", 26, inApp: true),
                frame(1, "block in fetch", "Shop::OrderService", "/srv/shop/releases/20250101/app/lib/orders.rb", 13, inApp: true),
                frame(1, "get", "FakeHttp::Client", "/srv/shop/vendor/bundle/ruby/3.4.0/gems/fake_http-0.9.1/lib/fake_http.rb", 5, inApp: false),
                frame(1, "fetch", "Shop::OrderService", "/srv/shop/releases/20250101/app/lib/orders.rb", 12, inApp: true),
                frame(1, "build", "Shop::OrderService", "/srv/shop/releases/20250101/app/lib/orders.rb", 20, inApp: true),
                frame(1, "<main>", nil, "main.rb", 15, inApp: true),
            ]),
    ]

    @Test(arguments: cases)
    func parsesFixture(_ fixture: FixtureCase) throws {
        try Fixtures.check(fixture)
    }
}
