import ArgumentParser
import FaultlineCore
import FaultlineEnrichment
import FaultlineGit
import FaultlineTestSupport
import Foundation

/// `scripts/bench deploy`: a repository the size of apache/commons-lang served by `git daemon` on
/// 127.0.0.1; a warm mirror and index; then, per pushed commit, the time from "an event of the new
/// commit arrives" to "its frames are enriched" (`TraceEnricher.enrich`: fetch, commit index, snippets)
/// against `git fetch` of the same push. Also the cold clone + index against the git CLI on that repository.
struct DeployBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Warm mirror: one pushed commit → enriched frames vs git fetch (git daemon on 127.0.0.1); cold clone + index vs git CLI."
    )

    @Option(help: "Java files in the generated repository (commons-lang has ~550 under src/main and src/test).")
    var files: Int = 560

    @Option(help: "Commits in the generated history.")
    var commits: Int = 400

    @Option(help: "Pushes measured, one new commit each.")
    var pushes: Int = 7

    @Option(help: "Repetitions of the cold clone comparison (the median is reported).")
    var repetitions: Int = 3

    @Option(help: "Working directory (default: a new temporary directory, removed afterwards).")
    var work: String?

    func validate() throws {
        guard files >= 20, commits >= 2, pushes > 0, repetitions > 0 else { throw ValidationError("files ≥ 20, commits ≥ 2, pushes and repetitions positive") }
    }

    func run() async throws {
        let root = URL(fileURLWithPath: work ?? NSTemporaryDirectory()).appendingPathComponent("faultline-deploy-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { if work == nil { try? FileManager.default.removeItem(at: root) } }
        let served = root.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        let bare = served.appendingPathComponent("commons-lang.git")
        print("libgit2 \(Libgit2.version); \(try Shell.run(["git", "--version"], in: root).output)")

        let start = ContinuousClock.now
        let generated = try JavaRepositoryGenerator.generate(at: bare, files: files, commits: commits)
        let sourceBytes = generated.sourceBytes
        print("generated commons-lang-sized repository: \(files) Java files (\(generated.mainFiles) src/main, \(files - generated.mainFiles) src/test), \(String(format: "%.1f MB", Double(sourceBytes) / 1_048_576)) of source at HEAD, \(commits) commits, pack \(GitBench.packSize(bare)) in \(start.duration(to: .now))")

        let daemon = try GitDaemon(basePath: served, probe: "commons-lang.git")
        defer { daemon.stop() }
        let url = "git://127.0.0.1:\(daemon.port)/commons-lang.git"
        print("git daemon on 127.0.0.1:\(daemon.port)\n")

        try await cold(url: url, bare: bare, root: root)
        try await deploys(url: url, bare: bare, root: root, classes: generated.mainClasses)
    }

    // MARK: - Cold

    func cold(url: String, bare: URL, root: URL) async throws {
        let head = try Shell.run(["git", "rev-parse", "HEAD"], in: bare).output
        let count = try Shell.run(["git", "ls-tree", "-r", "--name-only", head], in: bare).output.split(separator: "\n").count
        var cli: [Measured] = []
        var product: [Measured] = []
        for index in 0..<repetitions {
            let target = root.appendingPathComponent("cold-cli-\(index)").path
            cli.append(try Measured.run {
                try Shell.run(["git", "clone", "-q", "--bare", url, target], in: root)
                let listing = try Shell.run(["git", "ls-tree", "-r", "--name-only", head], in: URL(fileURLWithPath: target))
                precondition(listing.output.split(separator: "\n").count == count)
            })
            try? FileManager.default.removeItem(atPath: target)
            let repos = root.appendingPathComponent("cold-repos-\(index)")
            product.append(try await GitBench.productCold(url: url, head: head, repos: repos))
            try? FileManager.default.removeItem(at: repos)
        }
        let cliMedian = cli.sorted { $0.wall < $1.wall }[cli.count / 2]
        let productMedian = product.sorted { $0.wall < $1.wall }[product.count / 2]
        let cliCPU = cli.map(\.cpu).sorted()[cli.count / 2]
        let productCPU = product.map(\.cpu).sorted()[product.count / 2]
        print("| cold, median of \(repetitions) | git clone --bare + ls-tree -r | MirrorStore + CommitIndex | wall ratio | CPU ratio |")
        print("|---|---|---|---|---|")
        print("| \(count) files | \(cliMedian) | \(productMedian) | \(productMedian.ratio(to: cliMedian)) | \(String(format: "%.2f×", productCPU / max(cliCPU, 1e-9))) |\n")
    }

    // MARK: - Deploys

    func deploys(url: String, bare: URL, root: URL, classes: [(path: String, module: String)]) async throws {
        // The developer's clone that pushes, and the git CLI's warm mirror (the baseline fetches into it).
        let developer = root.appendingPathComponent("developer")
        try Shell.run(["git", "clone", "-q", bare.path, developer.path], in: root)
        let cliMirror = root.appendingPathComponent("cli-mirror.git")
        try Shell.run(["git", "clone", "-q", "--mirror", url, cliMirror.path], in: root)

        // The product, warm: mirror cloned, HEAD's index built, HEAD's frames enriched once.
        let repos = root.appendingPathComponent("repos")
        let configuration = MirrorConfiguration(directory: repos, allowList: RepositoryAllowList(patterns: ["git://127.0.0.1:*"]), timeout: .seconds(600), maxBytes: nil)
        let enricher = TraceEnricher(configuration: configuration)
        // A second warm mirror and index cache, to take the same path apart: fetch, index derived, index walked for comparison.
        let partsRepos = root.appendingPathComponent("repos-parts")
        let partsStore = MirrorStore(configuration: MirrorConfiguration(directory: partsRepos, allowList: RepositoryAllowList(patterns: ["git://127.0.0.1:*"]), timeout: .seconds(600), maxBytes: nil))
        let partsIndexes = CommitIndexCache()
        let repositoryURL = try RepositoryURL(url)

        var generator = SplitMix64(seed: 2026)
        let frameClasses = (0..<10).map { _ in classes[Int(generator.next() % UInt64(classes.count))] }
        func trace(changed: (path: String, module: String), line: Int) -> StackTrace {
            var frames = [Frame(function: "deploy", module: changed.module, file: Self.fileName(changed.path), line: line)]
            frames += frameClasses.map { Frame(function: "call", module: $0.module, file: Self.fileName($0.path), line: 20) }
            return StackTrace(language: .jvm, exceptions: [ExceptionTrace(frames: frames)], raw: "")
        }
        let head = try Shell.run(["git", "rev-parse", "HEAD"], in: bare).output
        let warmStart = ContinuousClock.now
        let warmed = await enricher.enrich(trace(changed: frameClasses[0], line: 20), link: GitLink(repositoryURL: url, commitSHA: head))
        let partsCommit = try await partsStore.prepare(repositoryURL, commit: head)
        let partsReader = await partsStore.reader(for: partsCommit)
        _ = try await partsIndexes.index(for: partsCommit, reader: partsReader)
        print("warm-up (2 clones, 2 indexes, 11 frames): \(warmStart.duration(to: .now)); \(warmed.frames.filter { $0.status == .resolved }.count)/11 frames resolved\n")

        print("| push | new commit → enriched (TraceEnricher, 11 frames) | git fetch (CLI) | parts: fetch (bytes) | index derived | index by full walk (not used) |")
        print("|---|---|---|---|---|---|")
        var enrichedTimes: [Duration] = []
        var fetchTimes: [Duration] = []
        for push in 0..<pushes {
            let changed = classes[Int(generator.next() % UInt64(classes.count))]
            let marker = "deploy \(push) of \(UUID().uuidString.prefix(8))"
            let line = try Self.insertThrow(marker, into: developer.appendingPathComponent(changed.path))
            try Shell.run(["git", "commit", "-q", "-am", "Deploy \(push)"], in: developer)
            try Shell.run(["git", "push", "-q", "origin", "HEAD:main"], in: developer)
            let sha = try Shell.run(["git", "rev-parse", "HEAD"], in: developer).output

            // The event of the new commit arrives: enrich it (fetch, index, snippets), as the worker would.
            let enrichStart = ContinuousClock.now
            let result = await enricher.enrich(trace(changed: changed, line: line), link: GitLink(repositoryURL: url, commitSHA: sha))
            let enriched = enrichStart.duration(to: .now)
            guard let first = result.frames.first, first.status == .resolved, first.snippet.contains(where: { $0.text.contains(marker) }) else {
                throw ValidationError("the new commit's frame was not enriched with its new line: \(result.frames.first?.reason ?? "no frame")")
            }

            let fetchStart = ContinuousClock.now
            try Shell.run(["git", "fetch", "-q", "origin"], in: cliMirror)
            let fetched = fetchStart.duration(to: .now)
            let fetchedSHA = try Shell.run(["git", "rev-parse", "--verify", "\(sha)^{commit}"], in: cliMirror).output
            precondition(fetchedSHA == sha, "git fetch did not bring the pushed commit")

            // The same path taken apart on the second mirror.
            let meter = GitTransferMeter()
            let partsPath = partsStore.mirrorPath(for: repositoryURL)
            let partFetchStart = ContinuousClock.now
            try GitRepository.open(at: partsPath).fetch(commit: sha, options: GitTransferOptions(meter: meter))
            let partFetch = partFetchStart.duration(to: .now)
            let commit = try await partsStore.prepare(repositoryURL, commit: sha)
            let reader = await partsStore.reader(for: commit)
            // The same cache code with derivation off (a full walk, written to disk), then the disk copy removed.
            let walkingCache = CommitIndexCache(ancestorSteps: 0)
            let walkStart = ContinuousClock.now
            let walked = try await walkingCache.index(for: commit, reader: reader)
            let walkTime = walkStart.duration(to: .now)
            let walkedCount = await walkingCache.statistics().walked
            precondition(walkedCount == 1, "the comparison index was not walked")
            let indexFile = URL(fileURLWithPath: partsPath + ".index").appendingPathComponent(sha + ".paths")
            try FileManager.default.removeItem(at: indexFile)
            let derivedBefore = await partsIndexes.statistics().derived
            let indexStart = ContinuousClock.now
            let index = try await partsIndexes.index(for: commit, reader: reader)
            let indexTime = indexStart.duration(to: .now)
            guard await partsIndexes.statistics().derived == derivedBefore + 1 else { throw ValidationError("the index was not derived") }
            precondition(walked.paths == index.paths, "derived index differs from the walk")

            enrichedTimes.append(enriched)
            fetchTimes.append(fetched)
            print("| \(push + 1) | \(Self.milliseconds(enriched)) | \(Self.milliseconds(fetched)) | \(Self.milliseconds(partFetch)) (\(meter.receivedBytes) B) | \(Self.milliseconds(indexTime)) | \(Self.milliseconds(walkTime)) |")
        }
        let enrichedSorted = enrichedTimes.sorted()
        let fetchSorted = fetchTimes.sorted()
        print("\nmedian new commit → enriched \(Self.milliseconds(enrichedSorted[enrichedSorted.count / 2])), max \(Self.milliseconds(enrichedSorted[enrichedSorted.count - 1])); median git fetch \(Self.milliseconds(fetchSorted[fetchSorted.count / 2])), max \(Self.milliseconds(fetchSorted[fetchSorted.count - 1]))")
    }

    /// Inserts `throw new IllegalStateException(marker);` as the first statement of the file's first method; returns its 1-based line.
    static func insertThrow(_ marker: String, into file: URL) throws -> Int {
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        guard let method = lines.firstIndex(where: { $0.hasPrefix("    public ") && $0.hasSuffix("{") && $0.contains("(") }) else {
            throw ValidationError("no method in \(file.path)")
        }
        lines.insert("        throw new IllegalStateException(\"\(marker)\");", at: method + 1)
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        return method + 2
    }

    static func fileName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.0f ms", value)
    }
}

/// Generates a Java repository shaped like apache/commons-lang with `git fast-import`: packages under
/// `src/main/java/org/apache/commons/lang3` and their tests under `src/test/java`, files of 40–500 lines,
/// and a history where each commit edits a few lines of 1–4 files (sometimes adding a file), then `git gc`.
enum JavaRepositoryGenerator {
    struct Generated {
        var mainFiles: Int
        var sourceBytes: Int
        var mainClasses: [(path: String, module: String)]
    }

    static let packages = ["", "builder", "concurrent", "event", "exception", "function", "math", "mutable", "reflect", "stream", "text", "text/translate", "time", "tuple", "arch", "compare"]
    static let words = ["String", "Array", "Object", "Class", "Number", "Char", "Boolean", "Validate", "Range", "Locale", "System", "Enum", "Thread", "Random", "Builder", "Format", "Date", "Duration", "Stop", "Watch"]

    static func generate(at path: URL, files: Int, commits: Int) throws -> Generated {
        try Shell.run(["git", "init", "-q", "--bare", "-b", "main", path.path], in: path.deletingLastPathComponent())
        var generator = SplitMix64(seed: UInt64(files) &* 31 &+ UInt64(commits))
        let mainCount = files * 45 / 100
        var mainClasses: [(path: String, module: String)] = []
        var paths: [String] = []
        var contents: [[String]] = []
        func makeFile(_ index: Int) -> (String, String, [String]) {
            let isMain = index < mainCount
            let package = packages[index % packages.count]
            let base = words[index % words.count] + words[(index / words.count) % words.count] + (index >= words.count * words.count ? "\(index)" : "")
            let name = isMain ? base + "Utils" : base + "UtilsTest"
            let directory = "src/\(isMain ? "main" : "test")/java/org/apache/commons/lang3" + (package.isEmpty ? "" : "/" + package)
            let module = "org.apache.commons.lang3" + (package.isEmpty ? "" : "." + package.replacingOccurrences(of: "/", with: ".")) + "." + name
            return (directory + "/" + name + ".java", module, javaSource(className: name, package: module, generator: &generator))
        }
        for index in 0..<files {
            let (filePath, module, lines) = makeFile(index)
            paths.append(filePath)
            contents.append(lines)
            if index < mainCount { mainClasses.append((filePath, module)) }
        }
        let stream = path.deletingLastPathComponent().appendingPathComponent(path.lastPathComponent + ".fi")
        _ = FileManager.default.createFile(atPath: stream.path, contents: nil)
        let handle = try FileHandle(forWritingTo: stream)
        var buffer = Data()
        func emit(_ filePath: String, _ lines: [String]) {
            let content = lines.joined(separator: "\n") + "\n"
            buffer.append(Data("M 100644 inline \(filePath)\ndata \(content.utf8.count)\n".utf8))
            buffer.append(Data(content.utf8))
            buffer.append(10)
        }
        for commit in 0..<commits {
            let date = 1_609_459_200 + commit * 43_200
            let message = commit == 0 ? "Initial import" : "Change \(commit)"
            buffer.append(Data("commit refs/heads/main\ncommitter Bench <bench@example.com> \(date) +0000\ndata \(message.utf8.count)\n\(message)\n".utf8))
            if commit == 0 {
                emit("README.md", ["# Generated commons-lang-sized repository", "", "Java sources under src/main and src/test."])
                for (index, filePath) in paths.enumerated() { emit(filePath, contents[index]) }
            } else {
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    let index = Int(generator.next() % UInt64(paths.count))
                    for _ in 0..<(1 + Int(generator.next() % 8)) {
                        let line = 3 + Int(generator.next() % UInt64(max(1, contents[index].count - 6)))
                        contents[index][line] = "        final int value\(generator.next() % 10_000) = compute(\(generator.next() % 1000)); // revised in change \(commit)"
                    }
                    emit(paths[index], contents[index])
                }
            }
            buffer.append(10)
            if buffer.count > 1 << 20 {
                handle.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(buffer)
        try handle.close()
        try Shell.run(["git", "fast-import", "--quiet"], in: path, input: try FileHandle(forReadingFrom: stream))
        try FileManager.default.removeItem(at: stream)
        try Shell.run(["git", "gc", "-q", "--prune=now"], in: path)
        let sourceBytes = contents.reduce(0) { $0 + $1.reduce(0) { $0 + $1.utf8.count + 1 } }
        return Generated(mainFiles: mainCount, sourceBytes: sourceBytes, mainClasses: mainClasses)
    }

    /// Java source of 40–500 lines: license header, Javadoc, methods with bodies.
    static func javaSource(className: String, package module: String, generator: inout SplitMix64) -> [String] {
        let packageName = module.split(separator: ".").dropLast().joined(separator: ".")
        var lines = [
            "/*", " * Licensed to the Apache Software Foundation (ASF) under one or more", " * contributor license agreements.", " */",
            "package \(packageName);", "", "import java.util.Objects;", "", "/**", " * Operations on \(className).", " */",
            "public class \(className) {", "",
        ]
        let target = 40 + Int(generator.next() % 460)
        var method = 0
        while lines.count < target {
            let word = words[Int(generator.next() % UInt64(words.count))]
            lines += [
                "    /**", "     * Returns the \(word.lowercased()) of the given value, or {@code null}.", "     *",
                "     * @param value the value, may be null", "     * @return the result", "     */",
                "    public static String \(word.lowercased())\(method)(final String value) {",
                "        if (value == null) {", "            return null;", "        }",
            ]
            for step in 0..<(2 + Int(generator.next() % 10)) {
                lines.append("        final int value\(step) = Objects.hashCode(value) * \(generator.next() % 997) + \(step);")
            }
            lines += ["        return value.substring(0, Math.min(value.length(), \(generator.next() % 64)));", "    }", ""]
            method += 1
        }
        lines.append("}")
        return lines
    }
}
