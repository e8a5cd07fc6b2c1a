@testable import FaultlineCore
import Testing

/// Cpp traces printed by the runtime (see Tests/Fixtures/stacks/SOURCES.md), frame by frame.
@Suite struct CppFixtureTests {
    static let root = Fixtures.root

    static let cases: [FixtureCase] = [
        FixtureCase(
            "cpp/asan.txt", .cpp,
            exceptions: [
                exception(.primary, "heap-buffer-overflow", "heap-buffer-overflow on address 0x602000000020 at pc 0x55f48cde65e2 bp 0x7ffc19a22150 sp 0x7ffc19a22148"),
            ],
            frames: [
                frame(0, "operator()", "shop::OrderService::reserve(std::vector<int, std::allocator<int> > const&, int)::{lambda(int)#1}", "\(root)/cpp/src/orders.cpp", 14, inApp: true),
                frame(0, "reserve", "shop::OrderService", "\(root)/cpp/src/orders.cpp", 17, inApp: true),
                frame(0, "handle", nil, "\(root)/cpp/src/orders.cpp", 26, inApp: true),
                frame(0, "main", nil, "\(root)/cpp/src/orders.cpp", 31, inApp: true),
                frame(0, "__libc_start_call_main", nil, "../sysdeps/nptl/libc_start_call_main.h", 58, inApp: false),
                frame(0, "__libc_start_main_impl", nil, "../csu/libc-start.c", 360, inApp: false),
                frame(0, "_start", nil, "\(root)/cpp/orders-asan", nil, inApp: false),
            ]),
        FixtureCase(
            "cpp/gdb_bt.txt", .cpp,
            exceptions: [
                exception(.primary, nil, nil),
            ],
            frames: [
                frame(0, "__pthread_kill_implementation", nil, "./nptl/pthread_kill.c", 44, inApp: false),
                frame(0, "__pthread_kill_internal", nil, "./nptl/pthread_kill.c", 78, inApp: false),
                frame(0, "__GI_raise", nil, "../sysdeps/posix/raise.c", 26, inApp: false),
                frame(0, "__GI_abort", nil, "./stdlib/abort.c", 79, inApp: false),
                frame(0, "operator()", "shop::OrderService::reserve(std::vector<int, std::allocator<int> > const&, int)::{lambda(int)#1}", "orders.cpp", 13, inApp: true),
                frame(0, "reserve", "shop::OrderService", "orders.cpp", 17, inApp: true),
                frame(0, "handle", nil, "orders.cpp", 26, inApp: true),
                frame(0, "main", nil, "orders.cpp", 31, inApp: true),
            ]),
    ]

    @Test(arguments: cases)
    func parsesFixture(_ fixture: FixtureCase) throws {
        try Fixtures.check(fixture)
    }
}
