@testable import FaultlineCore
import Testing

/// Which frames are the service's own code: built-in library rules per runtime, and configuration.
@Suite struct InAppRulesTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var language: Language
        var file: String?
        var module: String?
        var function: String?
        var inApp: Bool
        var testDescription: String {
            let subject: String = file ?? module ?? "-"
            return "\(language) \(subject) → \(inApp)"
        }
    }

    static let rows: [Row] = [
        Row(language: .python, file: "/app/venv/lib/python3.12/site-packages/django/core/handlers.py", inApp: false),
        Row(language: .python, file: "/usr/lib/python3/dist-packages/yaml/__init__.py", inApp: false),
        Row(language: .python, file: "/usr/local/lib/python3.11/json/decoder.py", inApp: false),
        Row(language: .python, file: "/srv/shop/orders/views.py", inApp: true),
        Row(language: .nodejs, file: "/app/node_modules/express/lib/router/layer.js", inApp: false),
        Row(language: .nodejs, file: "node:internal/process/task_queues", inApp: false),
        Row(language: .nodejs, file: "C:\\app\\node_modules\\pg\\lib\\client.js", inApp: false),
        Row(language: .nodejs, file: "/app/src/server.js", inApp: true),
        Row(language: .go, file: "/root/go/pkg/mod/github.com/lib/pq@v1.10.9/conn.go", module: "github.com/lib/pq", inApp: false),
        Row(language: .go, file: "/usr/local/go/src/net/http/server.go", module: "net/http", inApp: false),
        Row(language: .go, file: "net/http/server.go", module: "net/http", inApp: false),
        Row(language: .go, file: "/app/internal/orders/store.go", module: "example.com/shop/internal/orders", inApp: true),
        Row(language: .go, file: "/app/main.go", module: "main", inApp: true),
        Row(language: .go, file: "/usr/local/go/src/runtime/panic.go", function: "panic", inApp: false),
        Row(language: .go, file: "/root/sdk/go1.21.0/src/runtime/panic.go", function: "panic", inApp: false),
        Row(language: .go, file: "/go/src/github.com/acme/app/main.go", module: "github.com/acme/app", inApp: true),
        Row(language: .jvm, file: "Thread.java", module: "java.lang.Thread", inApp: false),
        Row(language: .jvm, file: "DispatcherServlet.java", module: "org.springframework.web.servlet.DispatcherServlet", inApp: false),
        Row(language: .jvm, file: "Unsafe.java", module: "jdk.internal.misc.Unsafe", inApp: false),
        Row(language: .jvm, file: "Checkout.java", module: "com.acme.Checkout", inApp: true),
        Row(language: .ruby, file: "/usr/local/bundle/gems/rack-3.0.8/lib/rack/builder.rb", inApp: false),
        Row(language: .ruby, file: "/app/vendor/bundle/ruby/3.2.0/bundler/gems/x/lib/x.rb", inApp: false),
        Row(language: .ruby, file: "/app/app/models/order.rb", inApp: true),
        Row(language: .dotnet, module: "System.Net.Http.HttpClient", inApp: false),
        Row(language: .dotnet, module: "Microsoft.AspNetCore.Routing.EndpointMiddleware", inApp: false),
        Row(language: .dotnet, module: "Shop.Api.OrderService", inApp: true),
        Row(language: .php, file: "/var/www/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php", inApp: false),
        Row(language: .php, file: "/var/www/app/Http/Controllers/OrderController.php", inApp: true),
        Row(language: .cpp, file: "/usr/include/c++/12/bits/stl_vector.h", function: "std::vector<int>::at", inApp: false),
        Row(language: .cpp, file: "/src/cart.cpp", function: "shop::Cart::add", inApp: true),
    ]

    @Test(arguments: rows)
    func builtInRules(row: Row) {
        let inApp = InAppRules.default.isInApp(
            file: row.file, module: row.module, function: row.function, language: row.language)
        #expect(inApp == row.inApp)
    }

    @Test func includesWinOverBuiltInExcludes() {
        // A company's own packages published to site-packages are still their code.
        let rules = InAppRules(includes: ["site-packages/acme_"])
        let file = "/app/venv/lib/python3.11/site-packages/acme_billing/charge.py"
        #expect(rules.isInApp(file: file, module: nil, function: nil, language: .python))
        #expect(!InAppRules.default.isInApp(file: file, module: nil, function: nil, language: .python))
    }

    @Test func excludesAddToBuiltInRules() {
        let rules = InAppRules(excludes: ["com.acme.generated."])
        #expect(!rules.isInApp(file: "Stub.java", module: "com.acme.generated.Stub", function: "call", language: .jvm))
        #expect(rules.isInApp(file: "Checkout.java", module: "com.acme.Checkout", function: "run", language: .jvm))
    }

    @Test func parserAppliesConfiguredRules() throws {
        let text = try Fixtures.text("java/caused_suppressed.txt")
        let rules = InAppRules(includes: ["org.apache.fakecommons"], excludes: ["OrderService$Repository"])
        let trace = StackTraceParser.parse(text, language: .jvm, inApp: rules)
        #expect(trace.frames.first?.inApp == true)
        let cause = try #require(trace.exceptions.dropFirst().first)
        #expect(cause.frames.first?.module == "com.acme.shop.OrderService$Repository")
        #expect(cause.frames.first?.inApp == false)
    }
}
