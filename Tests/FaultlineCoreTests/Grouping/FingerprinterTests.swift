import FaultlineCore
import Testing

@Suite struct FingerprinterTests {
    private func trace(_ language: Language, _ frames: [Frame], causes: [ExceptionTrace] = []) -> StackTrace {
        StackTrace(language: language, exceptions: [ExceptionTrace(type: "E", message: "m", frames: frames)] + causes, raw: "")
    }

    private func fingerprint(
        _ trace: StackTrace, type: String = "ValueError", message: String = "boom", override: String? = nil
    ) -> Fingerprint {
        Fingerprinter.fingerprint(type: type, message: MessageNormalizer.normalize(message), trace: trace, override: override)
    }

    private func frameParts(_ fingerprint: Fingerprint) -> [String] {
        fingerprint.parts.filter { $0.hasPrefix("frame:") }
    }

    struct NoiseCase: Sendable, CustomTestStringConvertible {
        var language: Language
        var frame: Frame
        var expected: String
        var testDescription: String { expected }
    }

    @Test(arguments: [
        NoiseCase(language: .jvm, frame: Frame(function: "lambda$total$0", module: "com.acme.shop.OrderService$Pricing"),
                  expected: "frame:c.a.s.OrderService$Pricing.lambda$total"),
        NoiseCase(language: .jvm, frame: Frame(function: "run", module: "com.acme.Jobs$1"), expected: "frame:c.a.Jobs.run"),
        NoiseCase(language: .jvm, frame: Frame(function: "apply", module: "com.acme.Foo$$Lambda$12/0x0000000800c0b440"),
                  expected: "frame:c.a.Foo$$Lambda.apply"),
        NoiseCase(language: .jvm, frame: Frame(function: "apply", module: "com.acme.Foo$$Lambda/0x00007f3c1c00a000"),
                  expected: "frame:c.a.Foo$$Lambda.apply"),
        NoiseCase(language: .jvm, frame: Frame(function: "pay", module: "com.acme.Checkout$$EnhancerBySpringCGLIB$$4f2a1b"),
                  expected: "frame:c.a.Checkout.pay"),
        NoiseCase(language: .jvm, frame: Frame(function: "$anonfun$run$1", module: "com.acme.Jobs$"),
                  expected: "frame:c.a.Jobs$.$anonfun$run"),
        NoiseCase(language: .jvm, frame: Frame(function: "invoke", module: "jdk.internal.reflect.GeneratedMethodAccessor42"),
                  expected: "frame:j.i.r.GeneratedMethodAccessor.invoke"),
        NoiseCase(language: .dotnet, frame: Frame(function: "<AddItemAsync>d__7.MoveNext", module: "Shop.Web.Services.CartService"),
                  expected: "frame:Shop.Web.Services.CartService.AddItemAsync"),
        NoiseCase(language: .dotnet, frame: Frame(function: "MoveNext", module: "Shop.Web.Services.CartService+<AddItemAsync>d__7"),
                  expected: "frame:Shop.Web.Services.CartService+AddItemAsync"),
        NoiseCase(language: .dotnet, frame: Frame(function: "<AddItemAsync>b__0", module: "Shop.Web.Services.CartService.<>c__DisplayClass7_0"),
                  expected: "frame:Shop.Web.Services.CartService.AddItemAsync.lambda"),
        NoiseCase(language: .dotnet, frame: Frame(function: "<Main>g__Validate|0_1", module: "Shop.Program"),
                  expected: "frame:Shop.Program.Main.Validate"),
        NoiseCase(language: .go, frame: Frame(function: "(*handler).serve.func1", module: "main"), expected: "frame:main.(*handler).serve.func"),
        NoiseCase(language: .go, frame: Frame(function: "(*Store).Reserve.func2.1", module: "example.com/shop/orders"),
                  expected: "frame:example.com/shop/orders.(*Store).Reserve.func"),
        NoiseCase(language: .go, frame: Frame(function: "Do", module: "github.com/acme/retry@v1.2.3"), expected: "frame:github.com/acme/retry.Do"),
        NoiseCase(language: .nodejs, frame: Frame(function: "async handleOrder", file: "/app/src/orders.js"), expected: "frame:orders.handleOrder"),
        NoiseCase(language: .nodejs, frame: Frame(function: "new Widget", file: "file:///srv/app/src/widget.mjs"), expected: "frame:widget.Widget"),
        NoiseCase(language: .nodejs, frame: Frame(function: "Layer.handle [as handle_request]", file: "/app/node_modules/express/lib/router/layer.js"),
                  expected: "frame:layer.Layer.handle"),
        NoiseCase(language: .nodejs, frame: Frame(function: "Object.<anonymous>", file: "C:\\app\\src\\main.js"), expected: "frame:main.Object.<anonymous>"),
        NoiseCase(language: .nodejs, frame: Frame(file: "/app/src/server.js"), expected: "frame:server.?"),
        NoiseCase(language: .nodejs, frame: Frame(function: "render", file: "/app/dist/main.3f2a91bc.js?v=1700000000"), expected: "frame:main.render"),
        NoiseCase(language: .ruby, frame: Frame(function: "block (2 levels) in process", file: "/srv/releases/20261101/app/models/order.rb"),
                  expected: "frame:order.process"),
        NoiseCase(language: .ruby, frame: Frame(function: "rescue in fetch", module: "Shop::Client"), expected: "frame:Shop::Client.fetch"),
        NoiseCase(language: .python, frame: Frame(function: "<lambda>", file: "/app/shop/orders.py"), expected: "frame:orders.<lambda>"),
        NoiseCase(language: .python, frame: Frame(function: "<module>", module: "shop.orders"), expected: "frame:shop.orders.<module>"),
        NoiseCase(language: .php, frame: Frame(function: "{closure:App\\Cart::add():12}", file: "/var/www/src/Cart.php"),
                  expected: "frame:Cart.{closure:App\\Cart::add()}"),
        NoiseCase(language: .php, frame: Frame(function: "handle", module: "class@anonymous%0/var/www/src/Kernel.php:12$0"),
                  expected: "frame:class@anonymous.handle"),
        NoiseCase(language: .python, frame: Frame(function: "checkout", module: "/srv/releases/20261101/shop/orders.py"),
                  expected: "frame:orders.checkout"),
        NoiseCase(language: .php, frame: Frame(function: "add", module: "App\\Cart"), expected: "frame:App\\Cart.add"),
        NoiseCase(language: .cpp, frame: Frame(function: "orders::place(int)+0x1a", file: "/src/orders.cpp"), expected: "frame:orders.orders::place(int)"),
    ])
    func generatedNoiseIsRemoved(_ noise: NoiseCase) {
        #expect(frameParts(fingerprint(trace(noise.language, [noise.frame]))) == [noise.expected])
    }

    @Test func linesColumnsAndPathPrefixesAreNeverHashed() {
        let v1 = trace(.python, [
            Frame(function: "charge", file: "/app/shop/payments.py", line: 12, column: 5, context: "raise ValueError(x)"),
            Frame(function: "checkout", file: "/app/shop/orders.py", line: 40),
        ])
        let v2 = trace(.python, [
            Frame(function: "charge", file: "/srv/releases/20261101/9fceb02/shop/payments.py", line: 19, column: 9, context: "raise ValueError(y)"),
            Frame(function: "checkout", file: "/srv/releases/20261101/9fceb02/shop/orders.py", line: 47),
        ])
        #expect(fingerprint(v1).value == fingerprint(v2).value)
        #expect(frameParts(fingerprint(v1)) == ["frame:payments.charge", "frame:orders.checkout"])
    }

    @Test func onlyInAppFramesCountWhenThereAreAny() {
        let a = trace(.jvm, [
            Frame(function: "parseInt", module: "java.lang.Integer", inApp: false),
            Frame(function: "total", module: "com.acme.Pricing"),
            Frame(function: "invoke", module: "org.springframework.Proxy", inApp: false),
        ])
        let b = trace(.jvm, [
            Frame(function: "parseInt", module: "java.lang.Integer", inApp: false),
            Frame(function: "valueOf", module: "java.lang.Integer", inApp: false),
            Frame(function: "total", module: "com.acme.Pricing"),
        ])
        #expect(fingerprint(a).value == fingerprint(b).value)
        #expect(frameParts(fingerprint(a)) == ["frame:c.a.Pricing.total"])
    }

    @Test func allFramesCountWhenNoneIsInApp() {
        let a = trace(.nodejs, [
            Frame(function: "parse", file: "/app/node_modules/qs/lib/parse.js", inApp: false),
            Frame(function: "processTicksAndRejections", file: "node:internal/process/task_queues", inApp: false),
        ])
        #expect(frameParts(fingerprint(a)) == ["frame:parse.parse", "frame:task_queues.processTicksAndRejections"])
    }

    @Test func recursionDepthDoesNotSplitAnIssue() {
        func recursive(depth: Int) -> StackTrace {
            let walk = Array(repeating: Frame(function: "walk", module: "tree"), count: depth)
            let pingPong = (0..<depth).flatMap { _ in [Frame(function: "even", module: "parity"), Frame(function: "odd", module: "parity")] }
            return trace(.python, walk + pingPong + [Frame(function: "main", module: "app")])
        }
        let shallow = fingerprint(recursive(depth: 3))
        #expect(shallow.value == fingerprint(recursive(depth: 40)).value)
        #expect(frameParts(shallow) == ["frame:tree.walk", "frame:parity.even", "frame:parity.odd", "frame:app.main"])
    }

    @Test func frameCountIsCapped() {
        let frames = (0..<500).map { Frame(function: "f\($0)", module: "deep") }
        let capped = fingerprint(trace(.python, frames))
        #expect(frameParts(capped).count == Fingerprinter.maxFrames)
        #expect(frameParts(capped).first == "frame:deep.f0")
        #expect(capped.parts.contains("note:frames capped at \(Fingerprinter.maxFrames)"))
    }

    @Test func differentTypeMessageOrCallPathGiveDifferentFingerprints() {
        let base = trace(.go, [Frame(function: "Reserve", module: "example.com/shop/orders"), Frame(function: "serve", module: "main")])
        let otherPath = trace(.go, [Frame(function: "Reserve", module: "example.com/shop/orders"), Frame(function: "refund", module: "main")])
        let reference = fingerprint(base, type: "*errors.errorString", message: "out of stock: sku 12")
        #expect(reference.value == fingerprint(base, type: "*errors.errorString", message: "out of stock: sku 99").value)
        #expect(reference.value != fingerprint(base, type: "*fmt.wrapError", message: "out of stock: sku 12").value)
        #expect(reference.value != fingerprint(base, type: "*errors.errorString", message: "payment declined: sku 12").value)
        #expect(reference.value != fingerprint(otherPath, type: "*errors.errorString", message: "out of stock: sku 12").value)
    }

    @Test func overrideWinsVerbatim() {
        let fp = fingerprint(trace(.ruby, [Frame(function: "pay", file: "/app/pay.rb")]), override: "  checkout-timeouts ")
        #expect(fp.value == "checkout-timeouts")
        #expect(fp.overridden)
        #expect(fp.parts == ["override:checkout-timeouts"])
        #expect(fp.version == Grouper.version)
        #expect(!fingerprint(trace(.ruby, []), override: "   ").overridden)
    }

    @Test func causeTypesCountButSuppressedDoNot() {
        let frames = [Frame(function: "save", module: "com.acme.Repo")]
        let timeout = trace(.jvm, frames, causes: [ExceptionTrace(type: "java.net.SocketTimeoutException", relation: .cause)])
        let constraint = trace(.jvm, frames, causes: [ExceptionTrace(type: "java.sql.SQLIntegrityConstraintViolationException", relation: .cause)])
        let withSuppressed = trace(.jvm, frames, causes: [
            ExceptionTrace(type: "java.io.IOException", relation: .suppressed),
            ExceptionTrace(type: "java.net.SocketTimeoutException", relation: .cause),
        ])
        #expect(fingerprint(timeout).value != fingerprint(constraint).value)
        #expect(fingerprint(timeout).value == fingerprint(withSuppressed).value)
        #expect(fingerprint(timeout).parts.contains("cause:SocketTimeoutException"))
    }

    /// Grouping version 2: a dependency that moves its exception class to another package keeps the issue.
    @Test func causesCompareByClassNameWithoutModulePath() {
        let frames = [Frame(function: "save", module: "com.acme.Repo")]
        let before = trace(.jvm, frames, causes: [ExceptionTrace(type: "org.postgresql.util.PSQLException", relation: .cause)])
        let moved = trace(.jvm, frames, causes: [ExceptionTrace(type: "org.postgresql.core.PSQLException", relation: .cause)])
        #expect(fingerprint(before).value == fingerprint(moved).value)
        let ruby = trace(.ruby, frames, causes: [ExceptionTrace(type: "ActiveRecord::RecordNotFound", relation: .cause)])
        #expect(fingerprint(ruby).parts.contains("cause:RecordNotFound"))
    }

    /// ddtrace says `builtins.ValueError`, OpenTelemetry's SDK and Python itself `ValueError`: one issue.
    @Test func builtInPrefixIsNotPartOfTheType() {
        let frames = trace(.python, [Frame(function: "place", file: "/app/orders.py")])
        #expect(fingerprint(frames, type: "builtins.ValueError", message: "bad 42").value == fingerprint(frames, type: "ValueError", message: "bad 42").value)
        #expect(fingerprint(frames, type: "app.errors.PaymentError", message: "x").parts.first == "type:app.errors.PaymentError")
        #expect(ErrorTypeName.canonical("builtins.KeyError") == "KeyError")
        #expect(ErrorTypeName.canonical("builtins.sub.KeyError") == "builtins.sub.KeyError")
        #expect(ErrorTypeName.className("App\\Errors\\Failed") == "Failed")
        #expect(ErrorTypeName.className("*errors.errorString") == "errorString")
    }

    @Test func tenThousandCausesAreBoundedWork() {
        let causes = (0..<10_000).map { ExceptionTrace(type: "Wrapped\($0)", message: "level \($0)", relation: .cause) }
        let deep = trace(.jvm, [Frame(function: "run", module: "com.acme.Job")], causes: causes)
        var steps = 0
        let fp = Fingerprinter.fingerprint(type: "E", message: MessageNormalizer.normalize("m"), trace: deep, override: nil, steps: &steps)
        #expect(fp.parts.filter { $0.hasPrefix("cause:") }.count == Fingerprinter.maxCauses)
        #expect(steps < 1_000)
    }

    @Test func hugeNamesCostBoundedWork() {
        let hostile = [
            Frame(function: String(repeating: "block in ", count: 100_000) + "run", file: "/app/job.rb"),
            Frame(function: String(repeating: "<.", count: 100_000) + ">", module: String(repeating: "$1", count: 100_000)),
            Frame(function: "f", file: String(repeating: "a/", count: 100_000) + "x.py"),
        ]
        var steps = 0
        let fp = Fingerprinter.fingerprint(type: "E", message: MessageNormalizer.normalize("m"), trace: trace(.ruby, hostile), override: nil, steps: &steps)
        #expect(frameParts(fp).count == 3)
        #expect(frameParts(fp).last == "frame:x.f")
        #expect(steps < 3 * 2 * 1_100)
    }

    @Test func framelessPrimaryFallsBackToFirstExceptionWithFrames() {
        let wrapped = StackTrace(language: .go, exceptions: [
            ExceptionTrace(type: "*fmt.wrapError"),
            ExceptionTrace(type: "*net.OpError", frames: [Frame(function: "dial", module: "example.com/shop/db")], relation: .cause),
        ], raw: "")
        #expect(frameParts(fingerprint(wrapped)) == ["frame:example.com/shop/db.dial"])
    }

    @Test func causeWithInAppFramesDrivesWhenThePrimaryHasNone() {
        let wrapped = StackTrace(language: .jvm, exceptions: [
            ExceptionTrace(type: "org.springframework.web.util.NestedServletException", frames: [
                Frame(function: "processRequest", module: "org.springframework.web.servlet.FrameworkServlet", inApp: false),
            ]),
            ExceptionTrace(type: "java.lang.IllegalStateException", frames: [
                Frame(function: "reserve", module: "com.acme.Stock"),
                Frame(function: "invoke", module: "org.springframework.Proxy", inApp: false),
            ], relation: .cause),
        ], raw: "")
        #expect(frameParts(fingerprint(wrapped)) == ["frame:c.a.Stock.reserve"])
    }

    /// Pins the hash encoding: if this changes, existing issues split, so `Grouper.version` must be bumped.
    /// The expected values were computed independently with Python's hashlib over the same length-prefixed
    /// parts. Versions 2 and 1 are still computed, so issues made by earlier releases keep their events.
    @Test func hashEncodingIsStable() {
        let fp = fingerprint(trace(.python, [Frame(function: "place", file: "/app/orders.py")]), type: "builtins.ValueError", message: "bad 42")
        #expect(fp.parts == ["type:ValueError", "message:bad <int>", "frame:orders.place"])
        #expect(fp.value == "15b1d45d2bdceff1e84eb85bd7f703a686653316857163c69155f2590296e10d")
        #expect(Grouper.version == 3)
        let first = fingerprint(trace(.python, [Frame(function: "place", file: "/app/orders.py")]), type: "ValueError", message: "bad 42")
        #expect(first.previousValues == [
            "474133df590eb8274d198be27d80a0b55b06ebadc07e97d584e033a421cb198e",
            "280eb706b7fb054b2cecbfb1880e56f69eb5914bb8a51caec931d13cb9c75ec6",
        ])
    }
}
