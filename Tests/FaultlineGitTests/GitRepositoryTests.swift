import FaultlineTestSupport
import FaultlineGit
import Foundation
import Testing

@Suite("GitRepository reads")
struct GitRepositoryTests {
    /// Two commits: the second inserts two lines above `handler` and renames `app/util.py`.
    static func twoCommitRepository() throws -> (GitFixture, first: String, second: String) {
        let fixture = try GitFixture()
        try fixture.write("app/views.py", "import os\n\ndef handler(request):\n    return compute(request)\n")
        try fixture.write("app/util.py", "def compute(x):\n    return 1 / 0\n")
        try fixture.write("README.md", "# shop\n")
        let first = try fixture.commit("Add handler\n\nLonger body.", date: "2024-03-01T12:00:00Z")
        try fixture.write("app/views.py", "import os\nimport sys\n\n\ndef handler(request):\n    return compute(request)\n")
        try fixture.git("mv", "app/util.py", "app/compute.py")
        let second = try fixture.commit("Shift handler and rename util", date: "2024-03-05T09:30:00Z")
        return (fixture, first, second)
    }

    @Test func commitLookupByFullAndAbbreviatedSHA() throws {
        let (fixture, first, second) = try Self.twoCommitRepository()
        let repository = try GitRepository.open(at: fixture.work.path)
        let info = try repository.commit(second)
        #expect(info.sha == second)
        #expect(info.parentSHAs == [first])
        #expect(info.authorName == "Ada Lovelace")
        #expect(info.authorEmail == "ada@example.com")
        #expect(info.summary == "Shift handler and rename util")
        #expect(info.authorTime == ISO8601DateFormatter().date(from: "2024-03-05T09:30:00Z"))
        #expect(info.treeSHA == (try fixture.git("rev-parse", "\(second)^{tree}")))

        let abbreviated = try repository.commit(String(first.prefix(7)))
        #expect(abbreviated.sha == first)
        #expect(abbreviated.summary == "Add handler")
        #expect(try repository.resolveCommitSHA(String(second.prefix(10)).uppercased()) == second)
    }

    @Test(arguments: ["0000000000000000000000000000000000000000", "deadbeef"])
    func missingCommitIsNotFound(sha: String) throws {
        let (fixture, _, _) = try Self.twoCommitRepository()
        let repository = try GitRepository.open(at: fixture.work.path)
        #expect(try repository.hasCommit(sha) == false)
        do {
            _ = try repository.commit(sha)
            Issue.record("lookup of a missing commit succeeded")
        } catch let error as GitError {
            #expect(error.kind == .notFound)
            #expect(error.operation == "commit lookup")
            #expect(error.commit == sha)
        }
    }

    @Test(arguments: ["", "abc", "not-a-sha", "../../etc/passwd", String(repeating: "a", count: 41)])
    func malformedCommitIdsAreRejected(sha: String) throws {
        let (fixture, _, _) = try Self.twoCommitRepository()
        let repository = try GitRepository.open(at: fixture.work.path)
        #expect(throws: GitError.self) { try repository.commit(sha) }
    }

    @Test func filePathsMatchGitLsTree() throws {
        let (fixture, first, second) = try Self.twoCommitRepository()
        let repository = try GitRepository.open(at: fixture.work.path)
        for sha in [first, second] {
            let expected = try fixture.git("ls-tree", "-r", "--name-only", sha).split(separator: "\n").map(String.init)
            #expect(try repository.filePaths(commit: sha).sorted() == expected.sorted())
        }
        #expect(try repository.filePaths(commit: second).contains("app/compute.py"))
        #expect(try !repository.filePaths(commit: second).contains("app/util.py"))
    }

    @Test func siblingDirectoriesOfEqualNameLengthKeepTheirOwnPaths() throws {
        let fixture = try GitFixture()
        for directory in ["a1", "a2", "b1/c1", "b1/c2", "b2/c1"] {
            for file in ["x.py", "yy.py"] {
                try fixture.write("\(directory)/\(file)", "# \(directory)/\(file)\n")
            }
        }
        let sha = try fixture.commit("Siblings")
        let repository = try GitRepository.open(at: fixture.work.path)
        let expected = try fixture.git("ls-tree", "-r", "--name-only", sha).split(separator: "\n").map(String.init)
        let paths = try repository.filePaths(commit: sha)
        #expect(paths.sorted() == expected.sorted())
        for path in paths {
            #expect(try repository.blob(at: path, commit: sha).text == "# \(path)\n")
        }
    }

    @Test func submodulesAreSkippedInTreeWalk() throws {
        let (fixture, _, second) = try Self.twoCommitRepository()
        try fixture.git("update-index", "--add", "--cacheinfo", "160000,\(second),vendor/lib")
        try fixture.git("commit", "-q", "-m", "Add submodule entry")
        let third = try fixture.git("rev-parse", "HEAD")
        let repository = try GitRepository.open(at: fixture.work.path)
        let paths = try repository.filePaths(commit: third)
        #expect(!paths.contains("vendor/lib"))
        #expect(paths.contains("app/views.py"))
    }

    @Test func blobTextEqualsGitShow() throws {
        let (fixture, first, second) = try Self.twoCommitRepository()
        let repository = try GitRepository.open(at: fixture.work.path)
        for (sha, path) in [(first, "app/views.py"), (first, "app/util.py"), (second, "app/views.py"), (second, "app/compute.py")] {
            let blob = try repository.blob(at: path, commit: sha)
            #expect(!blob.isBinary)
            #expect(blob.text == (try fixture.show(sha, path)))
            #expect(blob.sha == (try fixture.git("rev-parse", "\(sha):\(path)")))
        }
    }

    @Test func binaryAndInvalidUTF8Blobs() throws {
        let fixture = try GitFixture()
        try fixture.write("logo.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]))
        try fixture.write("latin1.txt", Data([0x63, 0x61, 0x66, 0xE9, 0x0A]))
        let sha = try fixture.commit("Add files")
        let repository = try GitRepository.open(at: fixture.work.path)
        #expect(try repository.blob(at: "logo.png", commit: sha).isBinary)
        let latin1 = try repository.blob(at: "latin1.txt", commit: sha)
        #expect(!latin1.isBinary)
        #expect(latin1.text == "caf\u{FFFD}\n")
    }

    @Test func missingPathAndDirectoryAreErrors() throws {
        let (fixture, first, second) = try Self.twoCommitRepository()
        let repository = try GitRepository.open(at: fixture.work.path)
        do {
            _ = try repository.blob(at: "app/util.py", commit: second)
            Issue.record("renamed-away file was found")
        } catch let error as GitError {
            #expect(error.kind == .notFound)
            #expect(error.path == "app/util.py")
            #expect(error.commit == second)
        }
        do {
            _ = try repository.blob(at: "app", commit: first)
            Issue.record("a directory read as a blob")
        } catch let error as GitError {
            #expect(error.kind == .invalidArgument)
        }
    }

    @Test func directoryThatIsNotGitFailsToOpen() throws {
        let fixture = try GitFixture()
        let plain = fixture.root.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        do {
            _ = try GitRepository.open(at: plain.path)
            Issue.record("a plain directory opened as a repository")
        } catch let error as GitError {
            #expect(error.kind == .notARepository)
            #expect(error.description.contains(plain.path))
        }
    }

    @Test func blameAttributesLinesToTheCommitsThatLastChangedThem() throws {
        let (fixture, first, second) = try Self.twoCommitRepository()
        let repository = try GitRepository.open(at: fixture.work.path)
        // In the second commit, lines 1 and 5-6 come from the first commit; 2-4 from the second.
        let hunks = try repository.blame(path: "app/views.py", commit: second, lines: 1...6)
        func owner(_ line: Int) -> String? { hunks.first(where: { $0.contains(line: line) })?.commitSHA }
        #expect(owner(1) == first)
        #expect(owner(2) == second)
        #expect(owner(6) == first)
        let secondHunk = try #require(hunks.first(where: { $0.commitSHA == second }))
        #expect(secondHunk.summary == "Shift handler and rename util")
        #expect(secondHunk.authorName == "Ada Lovelace")
        #expect(secondHunk.authorTime == ISO8601DateFormatter().date(from: "2024-03-05T09:30:00Z"))

        // Blamed at the first commit, everything is the first commit's.
        let old = try repository.blame(path: "app/views.py", commit: first, lines: 3...3)
        #expect(old.map(\.commitSHA) == [first])
        #expect(old.first?.summary == "Add handler")
        #expect(throws: GitError.self) { try repository.blame(path: "app/views.py", commit: first, lines: 40...41) }
    }
}
