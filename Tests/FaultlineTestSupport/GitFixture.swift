import Foundation

/// A real git repository built with the git CLI in a unique temporary directory (tests only), with a fixed author and dates.
public final class GitFixture {
    public let root: URL
    public let work: URL

    public init(name: String = "repo") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-git-\(UUID().uuidString)")
        work = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs git with a fixed identity and date; returns trimmed standard output.
    @discardableResult
    public func git(_ arguments: String..., in directory: URL? = nil, date: String = "2024-03-01T12:00:00Z") throws -> String {
        try GitFixture.run(arguments, in: directory ?? work, date: date, home: root)
    }

    public static func run(_ arguments: [String], in directory: URL, date: String = "2024-03-01T12:00:00Z", home: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_AUTHOR_NAME"] = "Ada Lovelace"
        environment["GIT_AUTHOR_EMAIL"] = "ada@example.com"
        environment["GIT_COMMITTER_NAME"] = "Ada Lovelace"
        environment["GIT_COMMITTER_EMAIL"] = "ada@example.com"
        environment["GIT_AUTHOR_DATE"] = date
        environment["GIT_COMMITTER_DATE"] = date
        environment["HOME"] = home.path
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(message: "git \(arguments.joined(separator: " ")): \(String(decoding: errorData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Raw bytes of `git show SHA:PATH`.
    public func show(_ sha: String, _ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["show", "\(sha):\(path)"]
        process.currentDirectoryURL = work
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    public func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    public func write(_ path: String, _ data: Data) throws {
        let url = work.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Stages everything and commits; returns the new commit's SHA.
    @discardableResult
    public func commit(_ message: String, date: String = "2024-03-01T12:00:00Z") throws -> String {
        try git("add", "-A", date: date)
        try git("commit", "-q", "-m", message, date: date)
        return try git("rev-parse", "HEAD")
    }

    /// A fresh path under the fixture root that does not exist yet.
    public func path(_ name: String) -> String {
        root.appendingPathComponent(name).path
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}
