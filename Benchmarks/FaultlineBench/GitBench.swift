import ArgumentParser
import FaultlineCore
import FaultlineEnrichment
import FaultlineGit
import FaultlineTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `scripts/bench git`: cold mirror + commit index against the git CLI over `git://` on loopback,
/// then warm snippet resolution. The git CLI is used here only, to build repositories and as the baseline.
struct GitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git",
        abstract: "Cold mirror + commit index vs git clone --bare + git ls-tree -r (git daemon on 127.0.0.1); warm snippet resolution."
    )

    @Option(help: "Files in the generated medium repository.")
    var mediumFiles: Int = 10_000

    @Option(help: "Files in the generated large repository (0 to skip).")
    var largeFiles: Int = 50_000

    @Option(help: "Repetitions of each cold clone (the median is reported).")
    var repetitions: Int = 3

    @Option(help: "An extra existing repository to serve and clone (e.g. a bare mirror under .build/repositories).")
    var extra: [String] = []

    @Option(help: "Working directory (default: a new temporary directory, removed afterwards).")
    var work: String?

    func validate() throws {
        guard mediumFiles > 0, largeFiles >= 0, repetitions > 0 else { throw ValidationError("sizes and repetitions must be positive") }
    }

    func run() async throws {
        let root = URL(fileURLWithPath: work ?? NSTemporaryDirectory()).appendingPathComponent("faultline-git-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { if work == nil { try? FileManager.default.removeItem(at: root) } }
        let served = root.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        print("libgit2 \(Libgit2.version); \(try Shell.run(["git", "--version"], in: root).output)")

        var repositories: [(name: String, files: Int)] = [("small", 120), ("medium", mediumFiles)]
        if largeFiles > 0 { repositories.append(("large", largeFiles)) }
        for (name, files) in repositories {
            let start = ContinuousClock.now
            try RepositoryGenerator.generate(at: served.appendingPathComponent(name + ".git"), files: files, commits: 4)
            print("generated \(name): \(files) files, 4 commits, pack \(Self.packSize(served.appendingPathComponent(name + ".git"))) in \(start.duration(to: .now))")
        }
        var names = repositories.map(\.name)
        for path in extra {
            let name = URL(fileURLWithPath: path).lastPathComponent.replacingOccurrences(of: ".git", with: "")
            try Shell.run(["git", "clone", "-q", "--bare", path, served.appendingPathComponent(name + ".git").path], in: root)
            names.append(name)
        }

        let daemon = try GitDaemon(basePath: served)
        defer { daemon.stop() }
        print("git daemon on 127.0.0.1:\(daemon.port)\n")
        print("| repository | files | pack | git clone --bare + ls-tree -r | libgit2 defaults | ratio | libgit2 tuned | ratio | MirrorStore + CommitIndex (tuned) | ratio |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        var mediumMirrors: URL?
        for name in names {
            let url = "git://127.0.0.1:\(daemon.port)/\(name).git"
            let head = try Shell.run(["git", "rev-parse", "HEAD"], in: served.appendingPathComponent(name + ".git")).output
            let count = try Shell.run(["git", "ls-tree", "-r", "--name-only", head], in: served.appendingPathComponent(name + ".git")).output.split(separator: "\n").count

            let cli = try median(repetitions) { index in
                let target = root.appendingPathComponent("cli-\(name)-\(index)").path
                let measured = try Measured.run {
                    try Shell.run(["git", "clone", "-q", "--bare", url, target], in: root)
                    let listing = try Shell.run(["git", "ls-tree", "-r", "--name-only", head], in: URL(fileURLWithPath: target))
                    precondition(listing.output.split(separator: "\n").count == count)
                }
                try? FileManager.default.removeItem(atPath: target)
                return measured
            }
            let defaults = try median(repetitions) { index in
                Libgit2.apply(.libgit2Defaults)
                return try Self.libgit2Clone(url: url, head: head, expected: count, target: root.appendingPathComponent("lg-\(name)-\(index)").path)
            }
            let tuned = try median(repetitions) { index in
                Libgit2.apply(.mirror)
                return try Self.libgit2Clone(url: url, head: head, expected: count, target: root.appendingPathComponent("lgt-\(name)-\(index)").path)
            }
            var product: [Measured] = []
            for index in 0..<repetitions {
                let repos = root.appendingPathComponent("repos-\(name)-\(index)")
                product.append(try await Self.productCold(url: url, head: head, repos: repos))
                if name == "medium", index == 0 { mediumMirrors = repos } else { try? FileManager.default.removeItem(at: repos) }
            }
            let productMedian = product.sorted { $0.wall < $1.wall }[product.count / 2]
            print("| \(name) | \(count) | \(Self.packSize(served.appendingPathComponent(name + ".git"))) | \(cli) | \(defaults) | \(defaults.ratio(to: cli)) | \(tuned) | \(tuned.ratio(to: cli)) | \(productMedian) | \(productMedian.ratio(to: cli)) |")
        }
        print("\n(wall time, with this process's or git's client-side CPU time in brackets; ratio = wall / git CLI wall)\n")

        if let mirrors = mediumMirrors {
            try await Self.warm(url: "git://127.0.0.1:\(daemon.port)/medium.git", repos: mirrors, served: served.appendingPathComponent("medium.git"))
        }
    }

    // MARK: - Cold clones

    static func libgit2Clone(url: String, head: String, expected: Int, target: String) throws -> Measured {
        let measured = try Measured.run {
            let repository = try GitRepository.cloneMirror(from: url, into: target)
            let paths = try repository.filePaths(commit: head)
            precondition(paths.count == expected, "libgit2 listed \(paths.count) files, git \(expected)")
        }
        try? FileManager.default.removeItem(atPath: target)
        return measured
    }

    static func productCold(url: String, head: String, repos: URL) async throws -> Measured {
        let configuration = MirrorConfiguration(directory: repos, allowList: RepositoryAllowList(patterns: ["git://127.0.0.1:*"]), timeout: .seconds(600), maxBytes: nil)
        let store = MirrorStore(configuration: configuration)
        let enricher = TraceEnricher(mirrors: store)
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(frames: [Frame(file: "/app/README.md", line: 1)])], raw: "")
        return try await Measured.runAsync {
            let result = await enricher.enrich(trace, link: GitLink(repositoryURL: url, commitSHA: head))
            guard result.frames.first?.status == .resolved else {
                throw ValidationError("cold enrichment failed: \(result.frames.first?.reason ?? "no frame")")
            }
        }
    }

    // MARK: - Warm resolution

    static func warm(url: String, repos: URL, served: URL) async throws {
        let head = try Shell.run(["git", "rev-parse", "HEAD"], in: served).output
        let paths = try Shell.run(["git", "ls-tree", "-r", "--name-only", head], in: served).output.split(separator: "\n").map(String.init)
        let sources = paths.filter { $0.hasSuffix(".py") }
        var generator = SplitMix64(seed: 42)
        let frames = (0..<30).map { _ -> Frame in
            let path = sources[Int(generator.next() % UInt64(sources.count))]
            return Frame(function: "handler", module: "app", file: "/home/runner/work/shop/shop/" + path, line: 3 + Int(generator.next() % 8))
        }
        let configuration = MirrorConfiguration(directory: repos, allowList: RepositoryAllowList(patterns: ["git://127.0.0.1:*"]))
        let enricher = TraceEnricher(configuration: configuration)
        let link = GitLink(repositoryURL: url, commitSHA: head)
        let trace = StackTrace(language: .python, exceptions: [ExceptionTrace(frames: frames)], raw: "")
        let first = ContinuousClock.now
        let warmed = await enricher.enrich(trace, link: link)
        let coldTime = first.duration(to: .now)
        let resolved = warmed.frames.filter { $0.status == .resolved }.count
        if let failed = warmed.frames.first(where: { $0.status != .resolved }) {
            print("first unresolved frame: \(failed.status.rawValue): \(failed.reason)")
        }
        print("warm-up (mirror on disk, index from disk, 30 files read): \(coldTime); \(resolved)/30 frames resolved")

        // One frame per call: everything cached (mirror known, index and files in memory).
        var perFrame: [Duration] = []
        for round in 0..<3000 {
            let frame = frames[round % frames.count]
            let single = StackTrace(language: .python, exceptions: [ExceptionTrace(frames: [frame])], raw: "")
            let start = ContinuousClock.now
            let result = await enricher.enrich(single, link: link)
            perFrame.append(start.duration(to: .now))
            precondition(result.frames.count == 1)
        }
        print("warm enrich, 1-frame trace: p50 \(percentile(perFrame, 0.5)), p99 \(percentile(perFrame, 0.99))")

        var perTrace: [Duration] = []
        for _ in 0..<500 {
            let start = ContinuousClock.now
            let result = await enricher.enrich(trace, link: link)
            perTrace.append(start.duration(to: .now))
            precondition(result.frames.count == 30)
        }
        let p50 = percentile(perTrace, 0.5)
        print("warm enrich, 30-frame trace: p50 \(p50) (\(p50 / 30) per frame), p99 \(percentile(perTrace, 0.99))")

        // Resolution alone: FrameResolver against the commit's index, no snippet.
        let index = CommitIndex(commitSHA: head, paths: paths)
        let resolver = FrameResolver()
        var resolveTimes: [Duration] = []
        var sink = 0
        for round in 0..<30_000 {
            let start = ContinuousClock.now
            if case .found(let path, _, _) = resolver.resolve(frames[round % 30], language: .python, in: index) { sink &+= path.utf8.count }
            resolveTimes.append(start.duration(to: .now))
        }
        print("FrameResolver.resolve alone (\(paths.count) paths): p50 \(percentile(resolveTimes, 0.5)), p99 \(percentile(resolveTimes, 0.99)) [\(sink % 7)]")

        // Snippet alone on an in-memory file.
        let text = try Shell.run(["git", "show", "\(head):\(sources[0])"], in: served).output
        let file = SourceFile(path: sources[0], text: text, isBinary: false)
        let builder = SnippetBuilder()
        var snippetTimes: [Duration] = []
        for round in 0..<30_000 {
            let start = ContinuousClock.now
            sink &+= builder.snippet(of: file, line: 3 + round % 8)?.count ?? 0
            snippetTimes.append(start.duration(to: .now))
        }
        print("SnippetBuilder.snippet alone (11 lines): p50 \(percentile(snippetTimes, 0.5)), p99 \(percentile(snippetTimes, 0.99)) [\(sink % 7)]")
    }

    // MARK: - Helpers

    func median(_ count: Int, _ body: (Int) throws -> Measured) throws -> Measured {
        var runs: [Measured] = []
        for index in 0..<count { runs.append(try body(index)) }
        return runs.sorted { $0.wall < $1.wall }[runs.count / 2]
    }

    static func percentile(_ values: [Duration], _ fraction: Double) -> Duration {
        Percentile.value(in: values.sorted(), at: fraction)
    }

    static func packSize(_ repository: URL) -> String {
        let packs = repository.appendingPathComponent("objects/pack")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: packs.path)) ?? []
        let bytes = files.filter { $0.hasSuffix(".pack") }.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: packs.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}

/// Wall time and CPU time (this process's threads, plus waited-for children) of one run.
struct Measured: CustomStringConvertible {
    var wall: Duration
    var cpu: Double

    static func run(_ body: () throws -> Void) throws -> Measured {
        let cpuStart = cpuSeconds()
        let start = ContinuousClock.now
        try body()
        return Measured(wall: start.duration(to: .now), cpu: cpuSeconds() - cpuStart)
    }

    static func runAsync(_ body: () async throws -> Void) async throws -> Measured {
        let cpuStart = cpuSeconds()
        let start = ContinuousClock.now
        try await body()
        return Measured(wall: start.duration(to: .now), cpu: cpuSeconds() - cpuStart)
    }

    static func cpuSeconds() -> Double {
        CPUTime.processAndChildren
    }

    var seconds: Double {
        Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
    }

    func ratio(to baseline: Measured) -> String {
        String(format: "%.2f×", seconds / baseline.seconds)
    }

    var description: String {
        String(format: "%.3f s (cpu %.3f s)", seconds, cpu)
    }
}

/// Runs a bench-only git CLI command with a fixed identity.
enum Shell {
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, input: FileHandle? = nil) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_AUTHOR_NAME"] = "Bench"
        environment["GIT_AUTHOR_EMAIL"] = "bench@example.com"
        environment["GIT_COMMITTER_NAME"] = "Bench"
        environment["GIT_COMMITTER_EMAIL"] = "bench@example.com"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        if let input { process.standardInput = input }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return (String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), process.terminationStatus)
    }
}

/// `git daemon` serving a directory on 127.0.0.1 at a free port.
final class GitDaemon {
    let port: Int
    private let process: Process

    /// `probe` is a repository under `basePath` whose `ls-remote` tells that the daemon answers.
    init(basePath: URL, probe: String = "small.git") throws {
        var lastError: (any Error)?
        for attempt in 0..<20 {
            let port = 19_400 + Int.random(in: 0..<500) + attempt
            let process = Process()
            // The daemon binary itself, not the `git` wrapper, so killing it stops the server.
            process.executableURL = URL(fileURLWithPath: try Shell.run(["git", "--exec-path"], in: basePath).output + "/git-daemon")
            process.arguments = ["--reuseaddr", "--export-all", "--base-path=\(basePath.path)", "--listen=127.0.0.1", "--port=\(port)", basePath.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                lastError = error
                continue
            }
            // Wait until it answers.
            for _ in 0..<50 {
                if (try? Shell.run(["git", "ls-remote", "git://127.0.0.1:\(port)/\(probe)"], in: basePath)) != nil {
                    self.port = port
                    self.process = process
                    return
                }
                if !process.isRunning { break }
                usleep(100_000)
            }
            kill(process.processIdentifier, SIGKILL)
        }
        throw lastError ?? ValidationError("git daemon did not start")
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Generates a repository of code-like files with `git fast-import`, then packs it as a server would.
enum RepositoryGenerator {
    static func generate(at path: URL, files: Int, commits: Int) throws {
        try Shell.run(["git", "init", "-q", "--bare", "-b", "main", path.path], in: path.deletingLastPathComponent())
        let stream = path.deletingLastPathComponent().appendingPathComponent(path.lastPathComponent + ".fi")
        _ = FileManager.default.createFile(atPath: stream.path, contents: nil)
        let handle = try FileHandle(forWritingTo: stream)
        var generator = SplitMix64(seed: UInt64(files))
        var buffer = Data()
        func flush() {
            handle.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        let extensions = ["py", "go", "js", "rb", "java", "cs", "php", "md"]
        let directories = max(1, files / 40)
        let paths = (0..<files).map { index -> String in
            index == 0 ? "README.md" : "pkg\(index % directories)/mod\(index % 7)/file\(index).\(extensions[index % extensions.count])"
        }
        for commit in 0..<commits {
            let date = 1_709_294_400 + commit * 86_400
            let message = "Revision \(commit)"
            buffer.append(Data("commit refs/heads/main\ncommitter Bench <bench@example.com> \(date) +0000\ndata \(message.utf8.count)\n\(message)\n".utf8))
            for (index, path) in paths.enumerated() where commit == 0 || generator.next() % 20 == 0 {
                let content = fileContent(index: index, commit: commit, generator: &generator)
                buffer.append(Data("M 100644 inline \(path)\ndata \(content.utf8.count)\n".utf8))
                buffer.append(Data(content.utf8))
                buffer.append(10)
                if buffer.count > 1 << 20 { flush() }
            }
            buffer.append(10)
        }
        flush()
        try handle.close()
        try Shell.run(["git", "fast-import", "--quiet"], in: path, input: try FileHandle(forReadingFrom: stream))
        try FileManager.default.removeItem(at: stream)
        try Shell.run(["git", "gc", "-q", "--prune=now"], in: path)
    }

    static func fileContent(index: Int, commit: Int, generator: inout SplitMix64) -> String {
        let words = ["request", "order", "total", "customer", "payment", "handler", "result", "items", "config", "session", "value", "error"]
        let lines = 20 + Int(generator.next() % 60)
        var text = "# file \(index), revision \(commit)\n"
        for line in 0..<lines {
            let a = words[Int(generator.next() % UInt64(words.count))]
            let b = words[Int(generator.next() % UInt64(words.count))]
            text += "    \(a)_\(line) = compute_\(b)(\(a), \(generator.next() % 1000))\n"
        }
        return text
    }
}
