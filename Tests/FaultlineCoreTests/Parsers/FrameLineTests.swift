@testable import FaultlineCore
import Testing

/// Single frames in the variants each runtime prints, beyond what the fixtures happen to contain.
@Suite struct FrameLineTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var language: Language
        var text: String
        var function: String?
        var module: String?
        var file: String?
        var line: Int?
        var column: Int?
        var inApp: Bool
        var testDescription: String { "\(language): \(text)" }

        init(
            _ language: Language, _ text: String, _ function: String?, _ module: String?, _ file: String?,
            _ line: Int?, column: Int? = nil, inApp: Bool
        ) {
            self.language = language
            self.text = text
            self.function = function
            self.module = module
            self.file = file
            self.line = line
            self.column = column
            self.inApp = inApp
        }
    }

    static let rows: [Row] = [
        // JVM: class loader and module prefixes, hidden lambda classes, Scala, logback's jar suffix.
        Row(.jvm, "java.lang.Error: x\n\tat app//com.acme.Main.run(Main.java:5)", "run", "com.acme.Main", "Main.java", 5, inApp: true),
        Row(.jvm, "java.lang.Error: x\n\tat java.base@17.0.2/java.lang.Thread.run(Thread.java:833)", "run", "java.lang.Thread", "Thread.java", 833, inApp: false),
        Row(.jvm, "java.lang.Error: x\n\tat com.acme.Main$$Lambda$14/0x0000000800c03000.run(Unknown Source)", "run", "com.acme.Main$$Lambda$14/0x0000000800c03000", nil, nil, inApp: true),
        Row(.jvm, "java.lang.Error: x\n\tat scala.collection.immutable.List.foreach(List.scala:431)", "foreach", "scala.collection.immutable.List", "List.scala", 431, inApp: false),
        Row(.jvm, "java.lang.Error: x\n\tat com.acme.Api.get(Api.java:12) ~[api-1.0.jar:1.0]", "get", "com.acme.Api", "Api.java", 12, inApp: true),
        Row(.jvm, "Exception in thread \"main\" java.lang.Error: x\n\tat com.acme.Main.<init>(Main.kt)", "<init>", "com.acme.Main", "Main.kt", nil, inApp: true),
        // Node.js: aliases, eval, Promise.all indexes, bare anonymous frames.
        Row(.nodejs, "Error: x\n    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:81:12)", "executeUserEntryPoint", "Function", "node:internal/modules/run_main", 81, column: 12, inApp: false),
        Row(.nodejs, "Error: x\n    at eval (eval at compile (/app/src/tpl.js:3:10), <anonymous>:1:7)", "eval", nil, "<anonymous>", 1, column: 7, inApp: false),
        Row(.nodejs, "Error: x\n    at async Promise.all (index 0)", "all", "Promise", nil, nil, inApp: false),
        Row(.nodejs, "Error: x\n    at new Promise (<anonymous>)", "new Promise", nil, nil, nil, inApp: false),
        Row(.nodejs, "Error: x\n    at Array.map (native)", "map", "Array", nil, nil, inApp: false),
        Row(.nodejs, "Error: x\n    at /app/src/server.js:10:3", nil, nil, "/app/src/server.js", 10, column: 3, inApp: true),
        Row(.nodejs, "Error: x\n    at internal/main/run_main_module.js:17:47", nil, nil, "internal/main/run_main_module.js", 17, column: 47, inApp: false),
        // Go: goroutine creators in Go 1.21+, vendored packages.
        Row(.go, "goroutine 7 [running]:\ncreated by net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3285 +0x4b4", "(*Server).Serve", "net/http", "/usr/local/go/src/net/http/server.go", 3285, inApp: false),
        Row(.go, "main.run()\n\t/app/vendor/github.com/lib/pq/conn.go:44 +0x1d", "run", "main", "/app/vendor/github.com/lib/pq/conn.go", 44, inApp: false),
        Row(.go, "gopkg.in/yaml%2ev3.Unmarshal(...)\n\t/go/pkg/mod/gopkg.in/yaml.v3@v3.0.1/yaml.go:89", "Unmarshal", "gopkg.in/yaml%2ev3", "/go/pkg/mod/gopkg.in/yaml.v3@v3.0.1/yaml.go", 89, inApp: false),
        // Ruby: levels of blocks, stdlib and internal frames.
        Row(.ruby, "/app/lib/a.rb:3:in `block (2 levels) in run'", "block (2 levels) in run", nil, "/app/lib/a.rb", 3, inApp: true),
        Row(.ruby, "/usr/lib/ruby/3.1.0/json/common.rb:216:in `parse'", "parse", nil, "/usr/lib/ruby/3.1.0/json/common.rb", 216, inApp: false),
        Row(.ruby, "<internal:kernel>:90:in 'Kernel#tap'", "tap", "Kernel", "<internal:kernel>", 90, inApp: false),
        // Python: frozen importlib, dist-packages, Windows site-packages.
        Row(.python, "Traceback (most recent call last):\n  File \"<frozen importlib._bootstrap>\", line 1178, in _find_and_load\nImportError: x", "_find_and_load", nil, "<frozen importlib._bootstrap>", 1178, inApp: false),
        Row(.python, "Traceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/requests/api.py\", line 59, in request\nOSError: x", "request", "requests.api", "/usr/lib/python3/dist-packages/requests/api.py", 59, inApp: false),
        Row(.python, "Traceback (most recent call last):\n  File \"C:\\app\\venv\\Lib\\site-packages\\flask\\app.py\", line 9, in wsgi\nOSError: x", "wsgi", "flask.app", "C:\\app\\venv\\Lib\\site-packages\\flask\\app.py", 9, inApp: false),
        // .NET: constructors, no file, generic methods.
        Row(.dotnet, "System.Exception: x\n   at Shop.Cart..ctor(Int32 size) in /src/Cart.cs:line 7", ".ctor", "Shop.Cart", "/src/Cart.cs", 7, inApp: true),
        Row(.dotnet, "System.Exception: x\n   at Shop.Repo`1.Find[TKey](TKey key)", "Find[TKey]", "Shop.Repo`1", nil, nil, inApp: true),
        // PHP: static calls and internal functions.
        Row(.php, "#0 /srv/app/src/Db.php(40): App\\Db::connect('x')\n#1 {main}", "connect", "App\\Db", nil, nil, inApp: true),
        // C++: boost / std::stacktrace, gdb frames in shared libraries.
        Row(.cpp, " 0# shop::Cart::add(int) at /src/cart.cpp:42\n 1# main at /src/main.cpp:9", "add", "shop::Cart", "/src/cart.cpp", 42, inApp: true),
        Row(.cpp, "#0  0x00007f3c in __GI_raise (sig=6) from /lib/x86_64-linux-gnu/libc.so.6", "__GI_raise", nil, "/lib/x86_64-linux-gnu/libc.so.6", nil, inApp: false),
    ]

    /// The first frame of each row's text, parsed with the language tag and with detection.
    @Test(arguments: rows)
    func parsesFirstFrame(row: Row) throws {
        for tag in [Optional(row.language), nil] {
            let trace = StackTraceParser.parse(row.text, language: tag)
            #expect(trace.language == row.language)
            let frame = try #require(trace.frames.first)
            #expect(frame.function == row.function)
            #expect(frame.module == row.module)
            #expect(frame.file == row.file)
            #expect(frame.line == row.line)
            #expect(frame.column == row.column)
            #expect(frame.inApp == row.inApp)
        }
    }

    @Test func pythonKeepsSourceLinesAndSkipsCarets() throws {
        let trace = StackTraceParser.parse(try Fixtures.text("python/chained_cause.txt"), language: .python)
        let frames = trace.frames
        #expect(frames.map(\.context) == [
            "raise CheckoutError(f\"order {order_id} failed\") from exc",
            "return service.checkout(4711, 250)",
            "handle(OrderService())",
        ])
        let cause = try #require(trace.exceptions.last)
        #expect(cause.frames.allSatisfy { $0.context?.contains("^") == false })
    }

    @Test func pythonFramesWithoutSourceHaveNoContext() throws {
        let trace = StackTraceParser.parse(try Fixtures.text("python/no_source.txt"))
        #expect(trace.frames.prefix(3).allSatisfy { $0.context == nil })
        #expect(trace.frames.last?.context == "exec(compile(SOURCE, \"<generated>\", \"exec\"), {})")
    }

    @Test func goParsesOnlyTheFailingGoroutine() {
        let text = """
            panic: boom

            goroutine 1 [running]:
            main.fail()
            \t/app/main.go:5 +0x25
            main.main()
            \t/app/main.go:9 +0x17

            goroutine 6 [chan receive]:
            main.worker()
            \t/app/worker.go:12 +0x3c
            """
        let trace = StackTraceParser.parse(text)
        #expect(trace.language == .go)
        #expect(trace.exceptions.first?.type == "panic")
        #expect(trace.exceptions.first?.message == "boom")
        #expect(trace.frames.map(\.function) == ["fail", "main"])
    }

    @Test func dotnetAggregateInnerExceptionsAfterTheTrace() {
        let text = """
            System.AggregateException: One or more errors occurred. (boom)
             ---> System.InvalidOperationException: boom
               at Shop.Worker.Run() in /src/Worker.cs:line 12
               --- End of inner exception stack trace ---
               at System.Threading.Tasks.Task.Wait()
               at Shop.Program.Main() in /src/Program.cs:line 5
            """
        let trace = StackTraceParser.parse(text)
        #expect(trace.language == .dotnet)
        #expect(trace.exceptions.map(\.type) == ["System.AggregateException", "System.InvalidOperationException"])
        #expect(trace.exceptions.map { $0.frames.map(\.function) } == [["Wait", "Main"], ["Run"]])
    }

    @Test func rubyMultiLineMessageWithClassOnItsLastLine() {
        let text = "/app/a.rb:3:in `run': first line\nsecond line (RuntimeError)\n\tfrom /app/main.rb:1:in `<main>'"
        let trace = StackTraceParser.parse(text)
        #expect(trace.language == .ruby)
        #expect(trace.exceptions.first?.type == "RuntimeError")
        #expect(trace.exceptions.first?.message == "first line\nsecond line")
        #expect(trace.frames.map(\.function) == ["run", "<main>"])
    }

    @Test(arguments: ["Unhandled exception. ", "Unhandled Exception: ", ""])
    func dotnetConsoleHostPrefixes(prefix: String) {
        let text = prefix + "System.InvalidOperationException: boom\n   at Shop.Program.Main() in /src/Program.cs:line 5"
        let trace = StackTraceParser.parse(text, language: .dotnet)
        #expect(trace.exceptions.first?.type == "System.InvalidOperationException")
        #expect(trace.exceptions.first?.message == "boom")
        #expect(trace.frames.first?.line == 5)
    }

    @Test func multiLineMessagesStayWhole() {
        let java = StackTraceParser.parse("java.lang.IllegalStateException: first\nsecond line\n\tat com.acme.A.run(A.java:1)")
        #expect(java.exceptions.first?.message == "first\nsecond line")
        let node = StackTraceParser.parse("Error: first\nsecond line\n    at run (/app/a.js:1:2)")
        #expect(node.exceptions.first?.message == "first\nsecond line")
    }
}
