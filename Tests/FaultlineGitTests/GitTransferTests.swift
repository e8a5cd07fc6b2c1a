import FaultlineTestSupport
import FaultlineGit
import Foundation
import Testing

@Suite("GitRepository clone and fetch")
struct GitTransferTests {
    static func sourceRepository() throws -> (GitFixture, String) {
        let fixture = try GitFixture()
        try fixture.write("src/main.go", "package main\n\nfunc main() {\n\tpanic(\"boom\")\n}\n")
        let sha = try fixture.commit("Initial")
        try fixture.git("tag", "v1.0.0")
        try fixture.git("branch", "feature")
        return (fixture, sha)
    }

    @Test(arguments: [true, false])
    func mirrorCloneFromLocalPathHasAllRefs(copyLocalObjects: Bool) throws {
        let (fixture, sha) = try Self.sourceRepository()
        let target = fixture.path("mirror.git")
        let mirror = try GitRepository.cloneMirror(from: fixture.work.path, into: target, options: GitTransferOptions(copyLocalObjects: copyLocalObjects))
        #expect(mirror.isBare)
        #expect(try mirror.commit(sha).summary == "Initial")
        let refs = try GitFixture.run(["for-each-ref", "--format=%(refname)"], in: URL(fileURLWithPath: target), home: fixture.root)
        #expect(refs.split(separator: "\n").sorted() == ["refs/heads/feature", "refs/heads/main", "refs/tags/v1.0.0"])
        #expect(try mirror.filePaths(commit: sha) == ["src/main.go"])
    }

    @Test func mirrorCloneFromFileURLThenFetchNewCommit() throws {
        let (fixture, _) = try Self.sourceRepository()
        let target = fixture.path("mirror.git")
        let mirror = try GitRepository.cloneMirror(from: "file://" + fixture.work.path, into: target)
        try fixture.write("src/extra.go", "package main\n")
        let newer = try fixture.commit("Second", date: "2024-03-02T12:00:00Z")
        #expect(try mirror.hasCommit(newer) == false)
        #expect(try mirror.fetch(commit: newer))
        #expect(try mirror.commit(newer).summary == "Second")

        // A reopened mirror sees the fetched commit too.
        let reopened = try GitRepository.open(at: target)
        #expect(try reopened.hasCommit(newer))
        #expect(reopened.originURL == "file://" + fixture.work.path)
    }

    @Test func fetchOfACommitTheServerDoesNotHaveReportsMissing() throws {
        let (fixture, _) = try Self.sourceRepository()
        let mirror = try GitRepository.cloneMirror(from: fixture.work.path, into: fixture.path("mirror.git"))
        #expect(try mirror.fetch(commit: "1234567890123456789012345678901234567890") == false)
    }

    @Test func sizeLimitAbortsTheClone() throws {
        let (fixture, _) = try Self.sourceRepository()
        do {
            _ = try GitRepository.cloneMirror(from: fixture.work.path, into: fixture.path("mirror.git"), options: GitTransferOptions(maxBytes: 10, copyLocalObjects: false))
            Issue.record("clone past the size limit succeeded")
        } catch let error as GitError {
            #expect(error.kind == .sizeLimitExceeded)
            #expect(error.description.contains("size limit"))
        }
    }

    @Test func cancelledAndExpiredTransfersAbort() throws {
        let (fixture, _) = try Self.sourceRepository()
        let cancellation = GitCancellation()
        cancellation.cancel()
        do {
            _ = try GitRepository.cloneMirror(from: fixture.work.path, into: fixture.path("a.git"), options: GitTransferOptions(cancellation: cancellation, copyLocalObjects: false))
            Issue.record("cancelled clone succeeded")
        } catch let error as GitError {
            #expect(error.kind == .cancelled)
        }
        do {
            _ = try GitRepository.cloneMirror(from: fixture.work.path, into: fixture.path("b.git"), options: GitTransferOptions(deadline: .now - .seconds(1), copyLocalObjects: false))
            Issue.record("expired clone succeeded")
        } catch let error as GitError {
            #expect(error.kind == .timedOut)
        }
    }

    @Test(arguments: ["git://127.0.0.1:1/shop.git", "https://127.0.0.1:1/org/shop.git", "ssh://git@127.0.0.1:1/org/shop.git", "/nonexistent/faultline/repo"])
    func unreachableSourcesFailWithAnError(url: String) throws {
        let fixture = try GitFixture()
        #expect(throws: GitError.self) {
            _ = try GitRepository.cloneMirror(from: url, into: fixture.path("mirror.git"))
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.path("mirror.git") + "/objects/pack/nonexistent"))
    }

    @Test func credentialsNeverAppearInErrors() throws {
        let fixture = try GitFixture()
        let url = "https://deploy-bot:ghp_SuperSecretToken123@127.0.0.1:1/org/shop.git"
        do {
            _ = try GitRepository.cloneMirror(from: url, into: fixture.path("mirror.git"), options: GitTransferOptions(credentials: .token(username: "x-access-token", token: "ghp_OtherSecret456")))
            Issue.record("clone of an unreachable URL succeeded")
        } catch let error as GitError {
            for text in [error.description, error.message, error.repository ?? "", String(describing: error)] {
                #expect(!text.contains("ghp_SuperSecretToken123"))
                #expect(!text.contains("ghp_OtherSecret456"))
                #expect(!text.contains("deploy-bot"))
            }
        }
    }

    @Test func truncatedPackIsReportedNotCrashed() throws {
        let (fixture, sha) = try Self.sourceRepository()
        try fixture.write("src/big.txt", (0..<2000).map { "line \($0) of a file that makes the pack bigger" }.joined(separator: "\n"))
        let second = try fixture.commit("Big", date: "2024-03-02T12:00:00Z")
        try fixture.git("gc", "-q", "--aggressive")
        let copy = fixture.root.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: fixture.work, to: copy)
        let packs = try FileManager.default.contentsOfDirectory(atPath: copy.path + "/.git/objects/pack").filter { $0.hasSuffix(".pack") }
        let pack = try #require(packs.first)
        let handle = try FileHandle(forWritingTo: copy.appendingPathComponent(".git/objects/pack/\(pack)"))
        try handle.truncate(atOffset: 200)
        try handle.close()

        // Reading straight from the damaged repository fails with an error.
        let damaged = try GitRepository.open(at: copy.path)
        #expect(throws: GitError.self) {
            _ = try damaged.blob(at: "src/big.txt", commit: second)
        }
        // Cloning from it fails too, over either path.
        for copyObjects in [true, false] {
            do {
                let mirror = try GitRepository.cloneMirror(from: copy.path, into: fixture.path("m-\(copyObjects).git"), options: GitTransferOptions(copyLocalObjects: copyObjects))
                // A byte copy of the object database succeeds; reading the damaged objects must not.
                #expect(throws: GitError.self) {
                    _ = try mirror.blob(at: "src/big.txt", commit: second)
                    _ = try mirror.filePaths(commit: sha)
                }
            } catch is GitError {
                // Expected for the pack protocol.
            }
        }
    }
}
