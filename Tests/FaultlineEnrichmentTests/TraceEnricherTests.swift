import FaultlineCore
@testable import FaultlineEnrichment
import Foundation
import Testing

@Suite("TraceEnricher on real repositories")
struct TraceEnricherTests {
    /// One frame per language, with the path as that runtime prints it, for a given version's paths.
    static func frames(nodePath: String) -> [(Language, Frame, String)] {
        [
            (.python, Frame(function: "checkout", module: "app.views", file: "/usr/src/app/app/views.py"), "app/views.py"),
            (.jvm, Frame(function: "process", module: "com.acme.shop.Checkout", file: "Checkout.java"), "src/main/java/com/acme/shop/Checkout.java"),
            (.go, Frame(function: "orders.Place", module: "github.com/acme/shop/internal/orders", file: "/home/runner/work/shop/shop/internal/orders/orders.go"), "internal/orders/orders.go"),
            (.nodejs, Frame(function: "handle", file: "file:///app/\(nodePath)"), nodePath),
            (.ruby, Frame(function: "save!", module: "User", file: "/srv/shop/releases/20240301120000/app/models/user.rb"), "app/models/user.rb"),
            (.dotnet, Frame(function: "Place", module: "Shop.OrderService", file: "C:\\build\\agent\\_work\\1\\s\\src\\Shop\\OrderService.cs"), "src/Shop/OrderService.cs"),
            (.php, Frame(function: "add", module: "App\\Controller\\CartController", file: "/var/www/html/src/Controller/CartController.php"), "src/Controller/CartController.php"),
        ]
    }

    @Test func eachVersionResolvesToItsOwnLines() async throws {
        let shop = try ShopRepository()
        let enricher = TraceEnricher(configuration: shop.configuration())
        for (sha, nodePath) in [(shop.first, "lib/server.js"), (shop.second, "lib/http/server.js")] {
            for (language, template, expectedPath) in Self.frames(nodePath: nodePath) {
                var frame = template
                frame.line = try shop.failLine(expectedPath, at: sha)
                let trace = StackTrace(language: language, exceptions: [ExceptionTrace(type: "E", message: "m", frames: [frame])], raw: "")
                let result = await enricher.enrich(trace, link: GitLink(repositoryURL: shop.url, commitSHA: sha))
                let source = try #require(result.frames.first)
                #expect(source.status == .resolved, "\(language) at \(sha): \(source.reason)")
                #expect(source.path == expectedPath)
                #expect(source.commitSHA == sha)
                #expect(source.line == frame.line)
                let gitLines = try shop.lines(expectedPath, at: sha)
                for snippetLine in source.snippet {
                    #expect(snippetLine.text == gitLines[snippetLine.line - 1])
                }
                let highlighted = source.snippet.filter(\.highlight)
                #expect(highlighted.map(\.line) == [frame.line])
                #expect(highlighted.first?.text.contains("FAIL_HERE") == true)
                let expectedRange = max(1, frame.line! - 5)...min(gitLines.count, frame.line! + 5)
                #expect(source.snippet.map(\.line) == Array(expectedRange))
                #expect(source.url == nil)  // local repositories have no permalink
            }
        }
    }

    /// Python prints each frame's line of code: when the commit's line is another, the code shown would be
    /// the wrong code (a dependency at another version, a dirty deploy), so the frame says so instead.
    @Test func printedLineThatDiffersFromTheCommitIsASourceMismatch() async throws {
        let shop = try ShopRepository()
        let enricher = TraceEnricher(configuration: shop.configuration())
        let line = try shop.failLine("app/views.py", at: shop.first)
        let committed = try shop.lines("app/views.py", at: shop.first)[line - 1]
        var same = Frame(function: "checkout", module: "app.views", file: "/usr/src/app/app/views.py", line: line)
        same.context = committed.trimmingCharacters(in: .whitespaces)
        var other = same
        other.context = "total = cart.total(discount=True)"
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(type: "E", message: "m", frames: [same, other])], raw: "")
        let result = await enricher.enrich(trace, link: GitLink(repositoryURL: shop.url, commitSHA: shop.first))
        #expect(result.frames.map(\.status) == [.resolved, .sourceMismatch])
        let mismatch = try #require(result.frames.last)
        #expect(mismatch.snippet.isEmpty && mismatch.url == nil, "no highlighted line is claimed")
        #expect(mismatch.reason.contains("`total = cart.total(discount=True)`"))
        #expect(mismatch.reason.contains("`\(committed.trimmingCharacters(in: .whitespaces))`"))
        #expect(mismatch.path == "app/views.py" && mismatch.line == line)
    }

    @Test func shiftedLinesDifferBetweenVersions() throws {
        let shop = try ShopRepository()
        #expect(try shop.failLine("app/views.py", at: shop.second) == shop.failLine("app/views.py", at: shop.first) + 3)
    }

    @Test func oldPathAtNewCommitAndAbbreviatedSHA() async throws {
        let shop = try ShopRepository()
        let enricher = TraceEnricher(configuration: shop.configuration())
        let frame = Frame(function: "handle", file: "/app/lib/server.js", line: 4)
        let trace = StackTrace(language: .nodejs, exceptions: [ExceptionTrace(frames: [frame])], raw: "")
        let newer = await enricher.enrich(trace, link: GitLink(repositoryURL: shop.url, commitSHA: shop.second))
        // lib/server.js was renamed; by suffix, server.js now lives in lib/http/ — one candidate, matched by file name.
        #expect(newer.frames.first?.path == "lib/http/server.js")
        let older = await enricher.enrich(trace, link: GitLink(repositoryURL: shop.url, commitSHA: String(shop.first.prefix(8))))
        #expect(older.commitSHA == shop.first)
        #expect(older.frames.first?.path == "lib/server.js")
        #expect(older.frames.first?.status == .resolved)
    }

    @Test func badFramesGetTheirStatus() async throws {
        let shop = try ShopRepository()
        let enricher = TraceEnricher(configuration: shop.configuration())
        let frames = [
            Frame(file: "/srv/utils.py", line: 2),
            Frame(file: "/app/assets/logo.png", line: 1),
            Frame(file: "/app/../etc/passwd", line: 1),
            Frame(file: "/usr/src/app/app/views.py", line: 400),
            Frame(file: "/usr/src/app/app/views.py", line: nil),
            Frame(file: "/app/nowhere.py", line: 3),
            Frame(file: nil, line: 3),
        ]
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(frames: frames)], raw: "")
        let result = await enricher.enrich(trace, link: GitLink(repositoryURL: shop.url, commitSHA: shop.first))
        #expect(result.frames.map(\.status) == [.ambiguous, .binaryFile, .notInRepository, .lineOutOfRange, .lineOutOfRange, .notInRepository, .notInRepository])
        #expect(result.frames[0].reason == "2 files end with utils.py: app/utils.py, tests/utils.py")
        #expect(result.frames[1].reason == "assets/logo.png is a binary file")
        #expect(result.frames[2].reason.contains(".."))
        #expect(result.frames[3].reason == "line 400 is outside app/views.py, which has 7 lines at this commit")
        for source in result.frames {
            #expect(source.snippet.isEmpty)
            #expect(!source.reason.isEmpty)
            #expect(!source.reason.contains("\n"))
        }
    }

    @Test("a read without transfers never clones or fetches on request; what is missing is brought in the background")
    func readsWithoutTransfer() async throws {
        let shop = try ShopRepository()
        let enricher = TraceEnricher(configuration: shop.configuration())
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(frames: [Frame(file: "/app/app/views.py", line: 6)])], raw: "")
        let link = GitLink(repositoryURL: shop.url, commitSHA: shop.first)

        // No mirror yet: the frame says so at once, and a clone starts in the background.
        let first = await enricher.enrich(trace, link: link, transfers: false)
        #expect(first.frames.first?.status == .repositoryUnavailable)
        #expect(first.frames.first?.reason.contains("not mirrored yet; a clone was queued") == true)
        var resolved: EnrichedTrace?
        for _ in 0..<200 {
            let again = await enricher.enrich(trace, link: link, transfers: false)
            if again.frames.first?.status == .resolved { resolved = again; break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(resolved?.frames.first?.snippet.contains { $0.highlight && $0.text.contains("FAIL_HERE") } == true)
        #expect(await enricher.mirrors.transferCounts().clones == 1)

        // A commit pushed after the mirror was made: not there yet, a fetch is queued, then it is read.
        try shop.fixture.write("app/views.py", "# newer\n" + ShopRepository.files["app/views.py"]!)
        let newer = try shop.fixture.commit("Newer", date: "2024-05-01T08:00:00Z")
        let newerLink = GitLink(repositoryURL: shop.url, commitSHA: newer)
        let missing = await enricher.enrich(trace, link: newerLink, transfers: false)
        #expect(missing.frames.first?.status == .commitNotFound)
        #expect(missing.frames.first?.reason.contains("a fetch was queued") == true)
        var fetched = false
        for _ in 0..<200 {
            let source = await enricher.enrich(trace, link: newerLink, transfers: false).frames.first
            if source?.status == .resolved, source?.commitSHA == newer { fetched = true; break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(fetched)
        #expect(await enricher.mirrors.transferCounts().fetches >= 1)
    }

    @Test func missingCommitIsCommitNotFound() async throws {
        let shop = try ShopRepository()
        let enricher = TraceEnricher(configuration: shop.configuration())
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(frames: [Frame(file: "/app/app/views.py", line: 6)])], raw: "")
        let result = await enricher.enrich(trace, link: GitLink(repositoryURL: shop.url, commitSHA: "1234567890abcdef1234567890abcdef12345678"))
        #expect(result.frames.first?.status == .commitNotFound)
        #expect(result.frames.first?.reason.contains("1234567890abcdef1234567890abcdef12345678") == true)
        // Other commits of the same repository still enrich.
        let good = await enricher.enrich(trace, link: GitLink(repositoryURL: shop.url, commitSHA: shop.first))
        #expect(good.frames.first?.status == .resolved)
        let noCommit = await enricher.enrich(trace, link: GitLink(repositoryURL: shop.url, commitSHA: nil))
        #expect(noCommit.frames.first?.status == .noCommit)
        let noLink = await enricher.enrich(trace, link: nil)
        #expect(noLink.frames.first?.status == .repositoryUnavailable)
    }

    @Test func unavailableRepositoriesAreReportedAndOthersStillEnrich() async throws {
        let shop = try ShopRepository()
        let plain = shop.fixture.root.appendingPathComponent("not-git")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: plain.appendingPathComponent("README"))
        var configuration = shop.configuration()
        configuration.allowList = RepositoryAllowList(patterns: ["file://\(shop.fixture.root.path)/*", "git://127.0.0.1:1/*"])
        let enricher = TraceEnricher(configuration: configuration)
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(frames: [Frame(file: "/app/app/views.py", line: 6)])], raw: "")

        // Refusals by the allow-list are `not_allowed` (never retried); the rest may pass and are retried.
        let cases: [(String, String, FrameSourceStatus)] = [
            ("git://127.0.0.1:1/shop.git", "clone of git://127.0.0.1:1/shop.git failed", .repositoryUnavailable),
            ("https://github.com/acme/shop", "does not match the allow-list", .notAllowed),
            ("/etc/faultline-elsewhere", "is not allowed", .notAllowed),
            (plain.path, "is not a git repository", .repositoryUnavailable),
            ("https://x:ghp_TopSecret@127.0.0.1:1/acme/shop.git", "does not match the allow-list", .notAllowed),
            ("ftp://example.com/x", "unsupported scheme", .repositoryUnavailable),
        ]
        for (url, fragment, status) in cases {
            let result = await enricher.enrich(trace, link: GitLink(repositoryURL: url, commitSHA: shop.first))
            let source = try #require(result.frames.first)
            #expect(source.status == status, "\(url)")
            #expect(source.reason.contains(fragment), "\(source.reason)")
            #expect(!source.reason.contains("ghp_TopSecret"))
            #expect(!(result.repositoryURL ?? "").contains("ghp_TopSecret"))
            let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
            #expect(!json.contains("ghp_TopSecret"))
        }
        let statuses = await enricher.mirrors.allStatuses()
        #expect(statuses.contains { $0.state == .failed && $0.reason?.contains("not a git repository") == true })
        let good = await enricher.enrich(trace, link: GitLink(repositoryURL: shop.url, commitSHA: shop.first))
        #expect(good.frames.first?.status == .resolved)
    }

    @Test func truncatedPackIsRepositoryUnavailable() async throws {
        let shop = try ShopRepository()
        try shop.fixture.git("gc", "-q")
        let copy = shop.fixture.root.appendingPathComponent("damaged")
        try FileManager.default.copyItem(at: shop.fixture.work, to: copy)
        let packDirectory = copy.appendingPathComponent(".git/objects/pack")
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: packDirectory.path).first { $0.hasSuffix(".pack") })
        let handle = try FileHandle(forWritingTo: packDirectory.appendingPathComponent(pack))
        try handle.truncate(atOffset: 100)
        try handle.close()

        let enricher = TraceEnricher(configuration: shop.configuration())
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(frames: [Frame(file: "/app/app/views.py", line: 6)])], raw: "")
        let result = await enricher.enrich(trace, link: GitLink(repositoryURL: copy.path, commitSHA: shop.first))
        let source = try #require(result.frames.first)
        #expect([FrameSourceStatus.repositoryUnavailable, .commitNotFound].contains(source.status), "\(source.status): \(source.reason)")
        #expect(!source.reason.isEmpty)
        let good = await enricher.enrich(trace, link: GitLink(repositoryURL: shop.url, commitSHA: shop.first))
        #expect(good.frames.first?.status == .resolved)
    }
}
