import FaultlineCore
@testable import FaultlineEnrichment
import FaultlineGit
import FaultlineTestSupport
import Foundation
import Testing

/// The index of a commit derived from an indexed ancestor plus the tree diff must equal a full walk.
@Suite("CommitIndexCache derives a fresh commit's index from an indexed ancestor")
struct CommitIndexDerivationTests {
    /// One change pushed after the indexed base commit.
    enum Change: String, CaseIterable, Sendable {
        case adds, deletes, modifications, movedDirectory, fileReplacedByDirectory, directoryReplacedByFile, mergeCommit, severalCommitsAhead

        func apply(to fixture: GitFixture) throws {
            let date = "2024-03-05T12:00:00Z"
            switch self {
            case .adds:
                // Names whose tree order differs from naive string order around "/", plus a submodule entry the walk skips.
                try fixture.write("lib/a.txt", "a\n")
                try fixture.write("lib/a-b.py", "ab\n")
                try fixture.write("lib/a/inner.py", "inner\n")
                try fixture.write("zeta/new/deep/file.go", "package deep\n")
                try fixture.write("Ünïcode/naïve.rb", "puts 1\n")
                try fixture.git("add", "-A", date: date)
                try fixture.git("update-index", "--add", "--cacheinfo", "160000,\(try fixture.git("rev-parse", "HEAD")),vendor/submodule", date: date)
                try fixture.git("commit", "-q", "-m", "Adds", date: date)
            case .deletes:
                try fixture.git("rm", "-q", "-r", "app/models", "README.md", date: date)
                try fixture.git("commit", "-q", "-m", "Deletes", date: date)
            case .modifications:
                try fixture.write("app/views.py", "def checkout():\n    raise ValueError('changed')\n")
                try fixture.write("lib/server.js", "throw new Error('changed');\n")
                try fixture.commit("Modifications", date: date)
            case .movedDirectory:
                try FileManager.default.createDirectory(at: fixture.work.appendingPathComponent("src/moved"), withIntermediateDirectories: true)
                try fixture.git("mv", "app", "src/moved/app", date: date)
                try fixture.commit("Move app", date: date)
            case .fileReplacedByDirectory:
                try fixture.git("rm", "-q", "lib/server.js", date: date)
                try fixture.write("lib/server.js/index.js", "module.exports = {};\n")
                try fixture.commit("File to directory", date: date)
            case .directoryReplacedByFile:
                try fixture.git("rm", "-q", "-r", "app/models", date: date)
                try fixture.write("app/models", "now a file\n")
                try fixture.commit("Directory to file", date: date)
            case .mergeCommit:
                try fixture.git("checkout", "-q", "-b", "side", date: date)
                try fixture.write("side/feature.py", "feature = True\n")
                try fixture.git("rm", "-q", "lib/server.js", date: date)
                try fixture.commit("Side work", date: date)
                try fixture.git("checkout", "-q", "main", date: date)
                try fixture.write("main/other.py", "other = 1\n")
                try fixture.commit("Main work", date: date)
                try fixture.git("merge", "-q", "--no-ff", "-m", "Merge side", "side", date: "2024-03-06T12:00:00Z")
            case .severalCommitsAhead:
                for step in 0..<5 {
                    try fixture.write("steps/step\(step).py", "step = \(step)\n")
                    if step == 3 { try fixture.git("rm", "-q", "app/utils.py", date: date) }
                    try fixture.commit("Step \(step)", date: date)
                }
            }
        }
    }

    static func baseRepository() throws -> GitFixture {
        let fixture = try GitFixture(name: "app")
        let files = [
            "README.md": "# app\n",
            "app/views.py": "def checkout():\n    raise ValueError('x')\n",
            "app/utils.py": "def compute():\n    return 1\n",
            "app/models/user.py": "class User: pass\n",
            "app/models/order.py": "class Order: pass\n",
            "lib/server.js": "module.exports = {};\n",
            "lib/a.py": "a = 1\n",
            "tests/test_views.py": "def test(): pass\n",
        ]
        for (path, content) in files { try fixture.write(path, content) }
        try fixture.commit("Base")
        return fixture
    }

    static func configuration(_ fixture: GitFixture) -> MirrorConfiguration {
        MirrorConfiguration(directory: fixture.root.appendingPathComponent("repos"), allowList: RepositoryAllowList(patterns: ["file://\(fixture.root.path)/*"]), timeout: .seconds(60), retryAfter: .zero)
    }

    /// The paths of `sha` by a full tree walk, in tree order.
    static func walked(_ commit: MirroredCommit) throws -> [String] {
        try GitRepository.open(at: commit.mirrorPath).filePaths(commit: commit.commitSHA)
    }

    @Test(arguments: Change.allCases)
    func derivedIndexEqualsAFullWalk(change: Change) async throws {
        let fixture = try Self.baseRepository()
        let base = try fixture.git("rev-parse", "HEAD")
        let store = MirrorStore(configuration: Self.configuration(fixture))
        let cache = CommitIndexCache()
        let url = try RepositoryURL(fixture.work.path)
        let (baseCommit, reader) = try await store.prepareForReading(url, commit: base)
        _ = try await cache.index(for: baseCommit, reader: reader)
        #expect(await cache.statistics().walked == 1)

        try change.apply(to: fixture)
        let head = try fixture.git("rev-parse", "HEAD")
        let headCommit = try await store.prepare(url, commit: head)
        let derived = try await cache.index(for: headCommit, reader: reader)

        let statistics = await cache.statistics()
        #expect(statistics.derived == 1)
        #expect(statistics.walked == 1)
        let expected = try Self.walked(headCommit)
        #expect(derived.paths == expected)
        let listed = try fixture.git("ls-tree", "-r", "--name-only", "-z", head).split(separator: "\0").map(String.init)
        #expect(Set(derived.paths) == Set(listed.filter { $0 != "vendor/submodule" }))
        // The derived index is written to disk like a walked one.
        let file = CommitIndexCache.diskPath(for: headCommit)
        let data = try #require(FileManager.default.contents(atPath: file))
        #expect(CommitIndexCache.decodePaths(data, commit: head) == expected)
    }

    @Test func anAncestorIndexOnDiskIsUsedAfterARestart() async throws {
        let fixture = try Self.baseRepository()
        let base = try fixture.git("rev-parse", "HEAD")
        let store = MirrorStore(configuration: Self.configuration(fixture))
        let url = try RepositoryURL(fixture.work.path)
        let (baseCommit, reader) = try await store.prepareForReading(url, commit: base)
        _ = try await CommitIndexCache().index(for: baseCommit, reader: reader)

        try Change.adds.apply(to: fixture)
        let head = try fixture.git("rev-parse", "HEAD")
        let headCommit = try await store.prepare(url, commit: head)
        let restarted = CommitIndexCache()
        let derived = try await restarted.index(for: headCommit, reader: reader)
        let statistics = await restarted.statistics()
        #expect(statistics.derived == 1)
        #expect(statistics.walked == 0)
        #expect(derived.paths == (try Self.walked(headCommit)))
    }

    @Test func aLargeDiffOrAFarAncestorFallsBackToTheWalk() async throws {
        let fixture = try Self.baseRepository()
        let base = try fixture.git("rev-parse", "HEAD")
        let store = MirrorStore(configuration: Self.configuration(fixture))
        let url = try RepositoryURL(fixture.work.path)
        let (baseCommit, reader) = try await store.prepareForReading(url, commit: base)

        // Three entries changed, at most two allowed: walk.
        let small = CommitIndexCache(maxDerivedChanges: 2)
        _ = try await small.index(for: baseCommit, reader: reader)
        try Change.deletes.apply(to: fixture)
        let deleted = try await store.prepare(url, commit: try fixture.git("rev-parse", "HEAD"))
        let walkedIndex = try await small.index(for: deleted, reader: reader)
        #expect(await small.statistics().walked == 2)
        #expect(await small.statistics().derived == 0)
        #expect(walkedIndex.paths == (try Self.walked(deleted)))

        // The nearest indexed ancestor is five first parents back, the search stops at two: walk.
        let near = CommitIndexCache(ancestorSteps: 2)
        let (fresh, freshReader) = try await store.prepareForReading(url, commit: base)
        _ = try await near.index(for: fresh, reader: freshReader)
        try Change.severalCommitsAhead.apply(to: fixture)
        let ahead = try await store.prepare(url, commit: try fixture.git("rev-parse", "HEAD"))
        _ = try await near.index(for: ahead, reader: freshReader)
        #expect(await near.statistics().derived == 0)
    }

    @Test func applyKeepsTreeOrder() {
        let base = ["a.txt", "a/b.py", "b/c.py", "z.md"]
        let changes = GitFileChanges(added: ["a/a.py", "a-b/x.py", "y/z.py", "b/c.py"], removed: ["a.txt", "z.md"])
        #expect(CommitIndexCache.apply(changes, to: base) == ["a-b/x.py", "a/a.py", "a/b.py", "b/c.py", "y/z.py"])
    }
}
