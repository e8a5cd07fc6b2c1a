import FaultlineCore
@testable import FaultlineEnrichment
import FaultlineGit
import FaultlineTestSupport
import Foundation
import Testing

@Suite("MirrorStore, CommitIndexCache and suspect commits")
struct MirrorStoreTests {
    @Test func concurrentRequestsShareOneClone() async throws {
        let shop = try ShopRepository()
        let store = MirrorStore(configuration: shop.configuration())
        let url = try RepositoryURL(shop.url)
        let results = try await withThrowingTaskGroup(of: MirroredCommit.self) { group in
            for index in 0..<8 {
                let sha = index.isMultiple(of: 2) ? shop.first : shop.second
                group.addTask { try await store.prepare(url, commit: sha) }
            }
            return try await group.reduce(into: [MirroredCommit]()) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(Set(results.map(\.commitSHA)) == [shop.first, shop.second])
        #expect(Set(results.map(\.mirrorPath)).count == 1)
        let counts = await store.transferCounts()
        #expect(counts.clones == 1)
        #expect(counts.fetches == 0)
        #expect(await store.status(of: url)?.state == .mirrored)
        let mirror = try GitRepository.open(at: store.mirrorPath(for: url))
        #expect(mirror.isBare)
    }

    @Test func fetchesOnlyWhenACommitIsMissing() async throws {
        let shop = try ShopRepository()
        let store = MirrorStore(configuration: shop.configuration())
        let url = try RepositoryURL(shop.url)
        _ = try await store.prepare(url, commit: shop.first)
        _ = try await store.prepare(url, commit: shop.second)
        #expect(await store.transferCounts().fetches == 0)

        try shop.fixture.write("app/new.py", "x = 1\n")
        let third = try shop.fixture.commit("Third", date: "2024-04-02T08:00:00Z")
        let prepared = try await store.prepare(url, commit: third)
        #expect(prepared.commitSHA == third)
        #expect(await store.transferCounts() == (clones: 1, fetches: 1))
        _ = try await store.prepare(url, commit: third)
        #expect(await store.transferCounts().fetches == 1)

        // Two spellings of the repository share the mirror.
        let other = try await store.prepare(try RepositoryURL("file://" + shop.url + "/"), commit: shop.first)
        #expect(other.mirrorPath == prepared.mirrorPath)
        #expect(await store.transferCounts().clones == 1)
    }

    @Test func aServerThatNeverAnswersTimesOutAndOthersStillWork() async throws {
        let shop = try ShopRepository()
        // A TCP server that accepts connections and never says a word.
        let silent = Process()
        silent.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // It exits by itself after 60 s in case the test dies first; SIGTERM may be blocked in children of the test process.
        silent.arguments = ["python3", "-c", "import os,socket,threading\nthreading.Timer(60, os._exit, [0]).start()\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(8)\nprint(s.getsockname()[1],flush=True)\nc=[]\nwhile True:\n    c.append(s.accept())\n"]
        let output = Pipe()
        silent.standardOutput = output
        silent.standardError = FileHandle.nullDevice
        silent.standardInput = FileHandle.nullDevice
        try silent.run()
        defer { kill(silent.processIdentifier, SIGKILL) }
        let portLine = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let port = try #require(Int(portLine))

        var configuration = shop.configuration()
        configuration.allowList = RepositoryAllowList(patterns: ["git://127.0.0.1:*", "file://\(shop.fixture.root.path)/*"])
        configuration.timeout = .seconds(1)
        let store = MirrorStore(configuration: configuration)
        let hanging = try RepositoryURL("git://127.0.0.1:\(port)/shop.git")
        do {
            _ = try await store.prepare(hanging, commit: shop.first)
            Issue.record("a silent server produced a mirror")
        } catch {
            #expect(error.kind == .unavailable)
            #expect(error.reason == "clone of git://127.0.0.1:\(port)/shop.git timed out")
        }
        #expect(await store.status(of: hanging)?.state == .failed)
        // The stuck transfer holds up neither the store nor other repositories.
        let local = try await store.prepare(try RepositoryURL(shop.url), commit: shop.second)
        #expect(local.commitSHA == shop.second)
    }

    @Test(arguments: ["path", "file://"])
    func aLocalRepositoryLargerThanTheLimitIsRefused(form: String) async throws {
        let shop = try ShopRepository()
        var generator = SplitMix64(seed: 3)
        try shop.fixture.write("assets/video.bin", Data((0..<400_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }))
        let large = try shop.fixture.commit("Add a large asset", date: "2024-04-02T08:00:00Z")
        var configuration = shop.configuration()
        configuration.maxBytes = 200_000
        let store = MirrorStore(configuration: configuration)
        let url = try RepositoryURL(form == "path" ? shop.url : "file://" + shop.url)
        do {
            _ = try await store.prepare(url, commit: large)
            Issue.record("a local repository past the size limit was mirrored")
        } catch {
            #expect(error.kind == .unavailable)
            #expect(error.reason == "clone of \(url.displayURL) stopped: the repository exceeds the size limit of 200000 bytes")
        }
        #expect(await store.status(of: url)?.state == .failed)
        #expect(!FileManager.default.fileExists(atPath: store.mirrorPath(for: url)))
    }

    @Test func aStalledHTTPServerTimesOutAndReleasesTheConnection() async throws {
        let shop = try ShopRepository()
        let server = try StallingServer()
        defer { server.stop() }
        var configuration = shop.configuration()
        configuration.allowList = RepositoryAllowList(patterns: ["http://127.0.0.1:*", "file://\(shop.fixture.root.path)/*"])
        configuration.timeout = .seconds(1)
        let store = MirrorStore(configuration: configuration)
        let hanging = try RepositoryURL("http://127.0.0.1:\(server.port)/acme/shop.git")
        do {
            _ = try await store.prepare(hanging, commit: shop.first)
            Issue.record("a silent server produced a mirror")
        } catch {
            #expect(error.kind == .unavailable)
            #expect(error.reason == "clone of http://127.0.0.1:\(server.port)/acme/shop.git timed out")
        }
        // The transfer's thread gave the socket back: the server sees the connection closed by us.
        #expect(server.waitForClientClose(timeout: .seconds(10)))
        #expect(await store.status(of: hanging)?.state == .failed)
    }

    @Test func aDamagedMirrorDirectoryIsClonedAgain() async throws {
        let shop = try ShopRepository()
        let store = MirrorStore(configuration: shop.configuration())
        let url = try RepositoryURL(shop.url)
        let path = store.mirrorPath(for: url)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data("not a repository".utf8).write(to: URL(fileURLWithPath: path).appendingPathComponent("HEAD"))
        let prepared = try await store.prepare(url, commit: shop.second)
        #expect(prepared.commitSHA == shop.second)
        #expect(await store.transferCounts().clones == 1)
        #expect(try GitRepository.open(at: path).hasCommit(shop.first))
    }

    @Test func indexIsWrittenToDiskAndReadAfterARestart() async throws {
        let shop = try ShopRepository()
        let configuration = shop.configuration()
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(frames: [Frame(file: "/srv/x/app/views.py", line: 6)])], raw: "")
        let link = GitLink(repositoryURL: shop.url, commitSHA: shop.first)
        let before = await TraceEnricher(configuration: configuration).enrich(trace, link: link)
        #expect(before.frames.first?.path == "app/views.py")

        let url = try RepositoryURL(shop.url)
        let mirrored = MirroredCommit(repository: url, mirrorPath: MirrorStore(configuration: configuration).mirrorPath(for: url), commitSHA: shop.first)
        let file = CommitIndexCache.diskPath(for: mirrored)
        let data = try #require(FileManager.default.contents(atPath: file))
        let index = try #require(CommitIndexCache.decode(data, commit: shop.first))
        let expected = try shop.fixture.git("ls-tree", "-r", "--name-only", shop.first).split(separator: "\n").map(String.init)
        #expect(index.paths.sorted() == expected.sorted())

        // Prove a restarted enricher reads the disk copy: edit it so views.py lives elsewhere.
        let edited = index.paths.map { $0 == "app/views.py" ? "srv/x/app/views.py" : $0 }
        CommitIndexCache.write(edited, to: file)
        let after = await TraceEnricher(configuration: configuration).enrich(trace, link: link)
        #expect(after.frames.first?.path == "srv/x/app/views.py")

        // A damaged cache file is ignored and rebuilt.
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: file))
        let rebuilt = await TraceEnricher(configuration: configuration).enrich(trace, link: link)
        #expect(rebuilt.frames.first?.path == "app/views.py")
    }

    @Test func blameGivesSuspectCommitsByDatadogsRule() async throws {
        let shop = try ShopRepository()
        let enricher = TraceEnricher(configuration: shop.configuration(), options: EnrichmentOptions(includeBlame: true))
        let secondLine = try shop.failLine("app/views.py", at: shop.second)
        let frames = [
            Frame(file: "/app/app/views.py", line: secondLine),  // last touched by the first commit (shifted, not changed)
            Frame(file: "/app/app/views.py", line: 1),           // added by the second commit
        ]
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(frames: frames)], raw: "")
        let link = GitLink(repositoryURL: shop.url, commitSHA: shop.second)
        let iso = ISO8601DateFormatter()

        let soonAfter = await enricher.enrich(trace, link: link, firstSeen: iso.date(from: "2024-04-02T00:00:00Z"))
        #expect(soonAfter.frames[0].suspectCommit?.sha == shop.first)
        #expect(soonAfter.frames[1].suspectCommit?.sha == shop.second)
        #expect(soonAfter.frames[1].suspectCommit?.summary == "Shift lines, move server")
        #expect(soonAfter.frames[1].suspectCommit?.authorName == "Ada Lovelace")
        #expect(soonAfter.suspectCommit?.sha == shop.second)

        // First seen before the second commit was authored: only the first commit qualifies.
        let between = await enricher.enrich(trace, link: link, firstSeen: iso.date(from: "2024-03-15T00:00:00Z"))
        #expect(between.suspectCommit?.sha == shop.first)
        // More than 90 days after both: no suspect.
        let muchLater = await enricher.enrich(trace, link: link, firstSeen: iso.date(from: "2024-09-01T00:00:00Z"))
        #expect(muchLater.suspectCommit == nil)
        // Blame off: nothing computed.
        let plain = await TraceEnricher(configuration: shop.configuration()).enrich(trace, link: link)
        #expect(plain.frames.allSatisfy { $0.suspectCommit == nil })
    }

    @Test func suspectRuleAlone() {
        let firstSeen = Date(timeIntervalSince1970: 1_000_000_000)
        func commit(_ sha: String, daysBefore: Double) -> SuspectCommit {
            SuspectCommit(sha: sha, authorName: "A", authorEmail: "a@x", authoredAt: firstSeen.addingTimeInterval(-daysBefore * 86400), summary: "", path: "a", line: 1)
        }
        let candidates = [commit("old", daysBefore: 91), commit("mid", daysBefore: 30), commit("recent", daysBefore: 2), commit("after", daysBefore: -1)]
        #expect(TraceEnricher.suspect(among: candidates, firstSeen: firstSeen, window: 90 * 86400)?.sha == "recent")
        #expect(TraceEnricher.suspect(among: [candidates[0], candidates[3]], firstSeen: firstSeen, window: 90 * 86400) == nil)
    }

    @Test func credentialSourceNeverPrintsSecrets() throws {
        let source = GitCredentialSource.fromEnvironment([
            "FAULTLINE_GIT_TOKEN": "ghp_EnvSecret", "FAULTLINE_GIT_TOKEN_HOSTS": "github.com", "FAULTLINE_GIT_SSH_PASSPHRASE": "hunter2", "FAULTLINE_GIT_SSH_KEY": "/keys/id",
        ])
        for text in [String(describing: source), "\(source)", String(reflecting: source)] {
            #expect(!text.contains("ghp_EnvSecret"))
            #expect(!text.contains("hunter2"))
        }
        var dumped = ""
        dump(source, to: &dumped)
        #expect(!dumped.contains("ghp_EnvSecret"))
        #expect(source.credentials(for: try RepositoryURL("https://github.com/a/b")) == .token(username: "x-access-token", token: "ghp_EnvSecret"))
        #expect(source.credentials(for: try RepositoryURL("git@github.com:a/b")) == .sshKey(username: "git", publicKeyPath: nil, privateKeyPath: "/keys/id", passphrase: "hunter2"))
        #expect(source.credentials(for: try RepositoryURL("/srv/git/x")) == nil)
    }
}
