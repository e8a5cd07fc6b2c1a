import FaultlineCore
@testable import FaultlineEnrichment
import Testing

@Suite("FrameResolver on a fixed path list")
struct FrameResolverTests {
    static let index = CommitIndex(commitSHA: "c0ffee", paths: [
        "go.mod",
        "cmd/server/main.go",
        "internal/orders/orders.go",
        "app/views.py",
        "app/utils.py",
        "tests/utils.py",
        "src/mypkg/core.py",
        "src/main/java/com/acme/shop/Checkout.java",
        "src/test/java/com/acme/shop/CheckoutTest.java",
        "src/main/kotlin/com/acme/shop/Cart.kt",
        "lib/server.js",
        "node_modules/express/lib/router.js",
        "app/models/user.rb",
        "src/Shop/OrderService.cs",
        "src/Controller/CartController.php",
        "web/decoder.py",
        "a/b/config.js",
        "c/b/config.js",
    ])
    static let resolver = FrameResolver(repository: try? RepositoryURL("https://github.com/acme/shop"))

    static func resolve(_ file: String?, module: String? = nil, language: Language, inApp: Bool = true, resolver: FrameResolver = resolver) -> PathResolution {
        resolver.resolve(Frame(function: "f", module: module, file: file, line: 1, inApp: inApp), language: language, in: index)
    }

    @Test(arguments: [
        ("/usr/src/app/app/views.py", Language.python, "app/views.py"),
        ("/usr/local/lib/python3.12/site-packages/mypkg/core.py", .python, "src/mypkg/core.py"),
        ("/home/runner/work/shop/shop/internal/orders/orders.go", .go, "internal/orders/orders.go"),
        ("github.com/acme/shop/internal/orders/orders.go", .go, "internal/orders/orders.go"),
        ("/root/go/pkg/mod/github.com/acme/shop@v1.4.2/internal/orders/orders.go", .go, "internal/orders/orders.go"),
        ("/app/lib/server.js", .nodejs, "lib/server.js"),
        ("file:///app/lib/server.js", .nodejs, "lib/server.js"),
        ("/srv/shop/releases/20240301120000/app/models/user.rb", .ruby, "app/models/user.rb"),
        ("C:\\build\\agent\\_work\\1\\s\\src\\Shop\\OrderService.cs", .dotnet, "src/Shop/OrderService.cs"),
        ("file:///C:/build/src/Shop/OrderService.cs", .dotnet, "src/Shop/OrderService.cs"),
        ("/var/www/html/src/Controller/CartController.php", .php, "src/Controller/CartController.php"),
    ])
    func pathStylesResolve(file: String, language: Language, expected: String) {
        guard case .found(let path, _, _) = Self.resolve(file, language: language) else {
            Issue.record("\(file) did not resolve: \(Self.resolve(file, language: language))")
            return
        }
        #expect(path == expected)
    }

    @Test(arguments: [
        ("com.acme.shop.Checkout", "Checkout.java", "src/main/java/com/acme/shop/Checkout.java"),
        ("com.acme.shop.Checkout$PaymentStep", "Checkout.java", "src/main/java/com/acme/shop/Checkout.java"),
        ("com.acme.shop.Cart", "Cart.kt", "src/main/kotlin/com/acme/shop/Cart.kt"),
        ("com.acme.shop.CartKt", "Cart.kt", "src/main/kotlin/com/acme/shop/Cart.kt"),
    ])
    func jvmFramesResolveByPackage(module: String, file: String, expected: String) {
        guard case .found(let path, let method, _) = Self.resolve(file, module: module, language: .jvm) else {
            Issue.record("\(module) did not resolve")
            return
        }
        #expect(path == expected)
        #expect(method == .jvmPackage)
    }

    @Test func jvmFrameInAnotherPackageIsNotInRepository() {
        guard case .notInRepository(let reason) = Self.resolve("Checkout.java", module: "org.other.Checkout", language: .jvm) else {
            Issue.record("resolved a class of another package")
            return
        }
        #expect(reason.contains("org/other/Checkout.java"))
    }

    @Test(arguments: [("/srv/utils.py", "2 files end with utils.py"), ("/x/b/config.js", "2 files end with b/config.js")])
    func equallyGoodMatchesAreAmbiguous(file: String, reason: String) {
        guard case .ambiguous(let candidates, let text) = Self.resolve(file, language: .python) else {
            Issue.record("\(file) was not ambiguous")
            return
        }
        #expect(candidates.count == 2)
        #expect(text == reason)
    }

    @Test func longerSuffixWinsOverShorterOnes() {
        guard case .found(let path, _, _) = Self.resolve("/srv/app/tests/utils.py", language: .python) else {
            Issue.record("not resolved")
            return
        }
        #expect(path == "tests/utils.py")
    }

    @Test(arguments: [
        ("/app/../etc/passwd", "'..'"),
        ("/app/node_modules/express/lib/router.js", "node_modules"),
        ("/root/go/pkg/mod/github.com/other/lib@v1.0.0/x.go", "dependency"),
        ("/usr/lib/python3.12/site-packages/requests/api.py", "installed package"),
        ("/app/missing.py", "no file named missing.py"),
        ("", "no source file"),
    ])
    func framesOutsideTheRepository(file: String, reasonFragment: String) {
        guard case .notInRepository(let reason) = Self.resolve(file, language: .python) else {
            Issue.record("\(file) resolved")
            return
        }
        #expect(reason.contains(reasonFragment), "\(reason)")
    }

    @Test func libraryFramesNeedMoreThanAFileName() {
        // A stdlib frame sharing only its file name with a repository file is a coincidence.
        guard case .notInRepository = Self.resolve("/usr/lib/python3.12/json/decoder.py", language: .python, inApp: false) else {
            Issue.record("library frame matched by file name alone")
            return
        }
        guard case .found = Self.resolve("/app/src/web/decoder.py", language: .python, inApp: false) else {
            Issue.record("library frame with a two-component match did not resolve")
            return
        }
    }

    @Test func explicitMappingsWinAndAreExact() {
        let resolver = FrameResolver(mappings: [PathMapping(stackRoot: "/opt/service", sourceRoot: "app"), PathMapping(stackRoot: "/opt", sourceRoot: "tests")], repository: nil)
        guard case .found(let path, let method, _) = Self.resolve("/opt/service/utils.py", language: .python, resolver: resolver) else {
            Issue.record("mapping did not apply")
            return
        }
        #expect(path == "app/utils.py")
        #expect(method == .mapping)
        guard case .notInRepository(let reason) = Self.resolve("/opt/service/nope.py", language: .python, resolver: resolver) else {
            Issue.record("mapped missing file resolved")
            return
        }
        #expect(reason == "mapped to app/nope.py, which is not in this commit")
        #expect(PathMapping(argument: "C:\\build=src") == PathMapping(stackRoot: "C:\\build", sourceRoot: "src"))
        #expect(PathMapping(argument: "nomapping") == nil)
    }
}

/// Files that also exist under test or vendor directories: the candidate that is wholly a suffix of the
/// frame's path wins; only equally good candidates are ambiguous.
@Suite("FrameResolver with test, vendor and duplicate copies")
struct FrameResolverCandidateTests {
    static let index = CommitIndex(commitSHA: "c0ffee", paths: [
        "lib/x.js",
        "test/lib/x.js",
        "src/a/b.py",
        "vendor/src/a/b.py",
        "services/billing/handlers.py",
        "services/shipping/handlers.py",
    ])

    enum Outcome: Equatable, CustomStringConvertible {
        case found(String)
        case ambiguous([String])
        case notInRepository
        var description: String {
            switch self {
            case .found(let path): return "found \(path)"
            case .ambiguous(let paths): return "ambiguous \(paths)"
            case .notInRepository: return "not in repository"
            }
        }
    }

    @Test(arguments: [
        ("/srv/app/lib/x.js", Language.nodejs, Outcome.found("lib/x.js")),
        ("/srv/app/test/lib/x.js", .nodejs, .found("test/lib/x.js")),
        ("/usr/src/app/src/a/b.py", .python, .found("src/a/b.py")),
        ("/opt/build/vendor/src/a/b.py", .python, .found("vendor/src/a/b.py")),
        // Two true duplicates: nothing in the frame's path tells them apart.
        ("/app/handlers.py", .python, .ambiguous(["services/billing/handlers.py", "services/shipping/handlers.py"])),
        ("/app/services/billing/handlers.py", .python, .found("services/billing/handlers.py")),
        ("/app/other/y.js", .nodejs, .notInRepository),
    ])
    func candidates(file: String, language: Language, expected: Outcome) {
        let resolution = FrameResolver().resolve(Frame(function: "f", file: file, line: 1, inApp: true), language: language, in: Self.index)
        let outcome: Outcome
        switch resolution {
        case .found(let path, _, _): outcome = .found(path)
        case .ambiguous(let candidates, _): outcome = .ambiguous(candidates)
        case .notInRepository: outcome = .notInRepository
        }
        #expect(outcome == expected, "\(file): \(resolution)")
    }
}
