@testable import FaultlineCore
import Testing

/// Node traces printed by the runtime (see Tests/Fixtures/stacks/SOURCES.md), frame by frame.
@Suite struct NodeFixtureTests {
    static let root = Fixtures.root

    static let cases: [FixtureCase] = [
        FixtureCase(
            "node/async.txt", .nodejs,
            exceptions: [
                exception(.primary, "TypeError", "Cannot read properties of undefined (reading 'count')"),
            ],
            frames: [
                frame(0, nil, nil, "\(root)/node/app/src/orders.js", 15, inApp: true),
                frame(0, "map", "Array", nil, nil, inApp: false),
                frame(0, "reserve", "Inventory", "\(root)/node/app/src/orders.js", 13, inApp: true),
                frame(0, nil, nil, "\(root)/node/app/src/orders.js", 26, inApp: true),
                frame(0, "retry", nil, "\(root)/node/app/node_modules/fake-retry/index.js", 7, inApp: false),
            ]),
        FixtureCase(
            "node/esm_async.txt", .nodejs,
            exceptions: [
                exception(.primary, "Error", "ENOENT: no such file or directory, open '/nonexistent/config.json'"),
            ],
            frames: [
                frame(0, "open", nil, "node:internal/fs/promises", 637, inApp: false),
                frame(0, "readFile", nil, "node:internal/fs/promises", 1249, inApp: false),
                frame(0, "load", "ConfigLoader", "file://\(root)/node/app/src/esm.mjs", 5, inApp: true),
                frame(0, nil, nil, "file://\(root)/node/app/src/esm.mjs", 14, inApp: true),
            ]),
        FixtureCase(
            "node/esm_json.txt", .nodejs,
            exceptions: [
                exception(.primary, "SyntaxError", "Expected property name or '}' in JSON at position 1"),
            ],
            frames: [
                frame(0, "parse", "JSON", nil, nil, inApp: false),
                frame(0, nil, nil, "file://\(root)/node/app/src/esm.mjs", 12, inApp: true),
                frame(0, "run", "ModuleJob", "node:internal/modules/esm/module_job", 325, inApp: false),
                frame(0, "import", "ModuleLoader", "node:internal/modules/esm/loader", 606, inApp: false),
                frame(0, "asyncRunEntryPointWithESMLoader", nil, "node:internal/modules/run_main", 117, inApp: false),
            ]),
        FixtureCase(
            "node/sync.txt", .nodejs,
            exceptions: [
                exception(.primary, "TypeError", "items must be an array"),
            ],
            frames: [
                frame(0, "new Inventory", nil, "\(root)/node/app/src/orders.js", 7, inApp: true),
                frame(0, "build", nil, "\(root)/node/app/src/sync.js", 5, inApp: true),
                frame(0, nil, nil, "\(root)/node/app/src/sync.js", 10, inApp: true),
                frame(0, "forEach", "Array", nil, nil, inApp: false),
                frame(0, "<anonymous>", "Object", "\(root)/node/app/src/sync.js", 8, inApp: true),
                frame(0, "_compile", "Module", "node:internal/modules/cjs/loader", 1521, inApp: false),
                frame(0, "_extensions..js", "Module", "node:internal/modules/cjs/loader", 1623, inApp: false),
                frame(0, "load", "Module", "node:internal/modules/cjs/loader", 1266, inApp: false),
                frame(0, "_load", "Module", "node:internal/modules/cjs/loader", 1091, inApp: false),
                frame(0, "executeUserEntryPoint", "Function", "node:internal/modules/run_main", 164, inApp: false),
            ]),
        FixtureCase(
            "node/windows.txt", .nodejs,
            exceptions: [
                exception(.primary, "Error", "ENOENT: no such file or directory, open 'C:\\data\\config.json'"),
            ],
            frames: [
                frame(0, "openSync", "Object", "node:fs", 596, inApp: false),
                frame(0, "readFileSync", "Object", "node:fs", 464, inApp: false),
                frame(0, "load", "ConfigLoader", "C:\\Users\\build\\shop\\src\\config.js", 12, inApp: true),
                frame(0, "new Server", nil, "C:\\Users\\build\\shop\\src\\server.js", 8, inApp: true),
                frame(0, nil, nil, "C:\\Users\\build\\shop\\node_modules\\express\\lib\\router\\index.js", 284, inApp: false),
                frame(0, "main", nil, "file:///C:/Users/build/shop/src/main.mjs", 5, inApp: true),
            ]),
    ]

    @Test(arguments: cases)
    func parsesFixture(_ fixture: FixtureCase) throws {
        try Fixtures.check(fixture)
    }
}
