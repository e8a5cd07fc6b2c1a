import FaultlineGit
import FaultlineTestSupport
import Foundation
import Testing

@Suite("Transfer limits: local sources, stalled servers, incremental fetches")
struct GitTransferLimitTests {
    /// A repository whose object database is well over 100 kB: incompressible file content.
    static func largeRepository() throws -> GitFixture {
        let fixture = try GitFixture()
        var generator = SplitMix64(seed: 7)
        let bytes = (0..<300_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        try fixture.write("data/blob.bin", Data(bytes))
        try fixture.write("README.md", "large\n")
        try fixture.commit("Large")
        return fixture
    }

    @Test(arguments: ["path", "file://"])
    func aLocalCopyLargerThanTheLimitIsRefused(form: String) throws {
        let fixture = try Self.largeRepository()
        let url = form == "path" ? fixture.work.path : "file://" + fixture.work.path
        let target = fixture.path("mirror.git")
        do {
            _ = try GitRepository.cloneMirror(from: url, into: target, options: GitTransferOptions(maxBytes: 100_000))
            Issue.record("a local clone past the size limit succeeded")
        } catch let error as GitError {
            #expect(error.kind == .sizeLimitExceeded)
            #expect(error.description.contains("size limit of 100000 bytes"))
            #expect(error.description.contains(url))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        // Under a limit it fits, the same source copies.
        let mirror = try GitRepository.cloneMirror(from: url, into: target, options: GitTransferOptions(maxBytes: 10_000_000))
        #expect(try mirror.filePaths(commit: fixture.git("rev-parse", "HEAD")).sorted() == ["README.md", "data/blob.bin"])
    }

    @Test(arguments: ["path", "file://"])
    func aLocalCopyPastItsDeadlineOrCancelledFails(form: String) throws {
        let fixture = try Self.largeRepository()
        let url = form == "path" ? fixture.work.path : "file://" + fixture.work.path
        do {
            _ = try GitRepository.cloneMirror(from: url, into: fixture.path("late.git"), options: GitTransferOptions(deadline: .now - .seconds(1)))
            Issue.record("a local clone past its deadline succeeded")
        } catch let error as GitError {
            #expect(error.kind == .timedOut)
            #expect(error.description.contains(url))
        }
        let cancellation = GitCancellation()
        cancellation.cancel()
        #expect(throws: GitError.self) {
            _ = try GitRepository.cloneMirror(from: url, into: fixture.path("cancelled.git"), options: GitTransferOptions(cancellation: cancellation))
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.path("late.git")))
        #expect(!FileManager.default.fileExists(atPath: fixture.path("cancelled.git")))
    }

    @Test func aFetchFromALocalOriginPastTheLimitIsRefused() throws {
        let fixture = try GitFixture()
        try fixture.write("README.md", "small\n")
        try fixture.commit("Small")
        let mirror = try GitRepository.cloneMirror(from: "file://" + fixture.work.path, into: fixture.path("mirror.git"))
        var generator = SplitMix64(seed: 9)
        try fixture.write("data/blob.bin", Data((0..<300_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }))
        let large = try fixture.commit("Large", date: "2024-03-02T12:00:00Z")
        do {
            try mirror.fetch(commit: large, options: GitTransferOptions(maxBytes: 100_000))
            Issue.record("a fetch past the size limit succeeded")
        } catch let error as GitError {
            #expect(error.kind == .sizeLimitExceeded)
        }
        #expect(try mirror.hasCommit(large) == false)
    }

    @Test(arguments: ["http", "https", "git", "ssh"])
    func aCloneFromAServerThatStallsEndsAtTheDeadline(scheme: String) throws {
        let server = try StallingServer()
        defer { server.stop() }
        let fixture = try GitFixture()
        let url = "\(scheme)://127.0.0.1:\(server.port)/x.git"
        do {
            _ = try GitRepository.cloneMirror(from: url, into: fixture.path("mirror.git"), options: GitTransferOptions(deadline: .now + .milliseconds(700)))
            Issue.record("a clone from a silent server succeeded")
        } catch let error as GitError {
            #expect(error.kind == .timedOut)
            #expect(error.description.contains(url))
        }
        // The call returned on this thread, and libgit2 closed the socket: the server sees it.
        #expect(server.acceptedCount >= 1)
        #expect(server.waitForClientClose(timeout: .seconds(10)))
        #expect(!FileManager.default.fileExists(atPath: fixture.path("mirror.git")))
    }

    @Test func aFetchFromAServerThatStallsEndsAtTheDeadline() throws {
        let server = try StallingServer()
        defer { server.stop() }
        let fixture = try GitFixture()
        try fixture.write("README.md", "x\n")
        try fixture.commit("One")
        let target = fixture.path("mirror.git")
        _ = try GitRepository.cloneMirror(from: fixture.work.path, into: target)
        let url = "http://127.0.0.1:\(server.port)/x.git"
        try fixture.git("remote", "set-url", "origin", url, in: URL(fileURLWithPath: target))
        let mirror = try GitRepository.open(at: target)
        do {
            try mirror.fetch(options: GitTransferOptions(deadline: .now + .milliseconds(700)))
            Issue.record("a fetch from a silent server succeeded")
        } catch let error as GitError {
            #expect(error.kind == .timedOut)
            #expect(error.description.contains(url))
        }
        #expect(server.waitForClientClose(timeout: .seconds(10)))
    }

    @Test func aStalledTransferWithoutDeadlineEndsWhenCancelled() throws {
        let server = try StallingServer()
        defer { server.stop() }
        let fixture = try GitFixture()
        let cancellation = GitCancellation()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(500)) { cancellation.cancel() }
        do {
            _ = try GitRepository.cloneMirror(from: "git://127.0.0.1:\(server.port)/x.git", into: fixture.path("mirror.git"), options: GitTransferOptions(cancellation: cancellation))
            Issue.record("a clone from a silent server succeeded")
        } catch let error as GitError {
            #expect(error.kind == .cancelled)
        }
        #expect(server.waitForClientClose(timeout: .seconds(10)))
    }

    @Test func aFetchOfOneNewCommitReceivesOnlyItsObjects() throws {
        let fixture = try GitFixture()
        var generator = SplitMix64(seed: 11)
        for index in 0..<200 {
            let lines = (0..<80).map { line in "    value_\(line) = compute(\(generator.next() % 100_000))  # file \(index)" }
            try fixture.write("src/module\(index % 10)/file\(index).py", lines.joined(separator: "\n") + "\n")
        }
        try fixture.commit("Initial")
        // The pack protocol (not a copy of the object database), as a network remote would run it.
        let cloneMeter = GitTransferMeter()
        let mirror = try GitRepository.cloneMirror(from: "file://" + fixture.work.path, into: fixture.path("mirror.git"), options: GitTransferOptions(copyLocalObjects: false, meter: cloneMeter))
        let changed = "def changed():\n    raise ValueError('new')\n"
        try fixture.write("src/module3/file3.py", changed)
        let pushed = try fixture.commit("One more", date: "2024-03-02T12:00:00Z")

        let fetchMeter = GitTransferMeter()
        #expect(try mirror.fetch(commit: pushed, options: GitTransferOptions(meter: fetchMeter)))
        #expect(cloneMeter.receivedBytes > 100_000)
        #expect(fetchMeter.receivedBytes > 0)
        #expect(fetchMeter.receivedBytes * 50 < cloneMeter.receivedBytes, "fetch \(fetchMeter.receivedBytes) B vs clone \(cloneMeter.receivedBytes) B")
        #expect(try mirror.blob(at: "src/module3/file3.py", commit: pushed).bytes == Array(changed.utf8))
    }
}
