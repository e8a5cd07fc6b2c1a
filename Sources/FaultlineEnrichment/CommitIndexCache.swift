import Dispatch
import FaultlineGit
import Foundation

/// Commit indexes, built once per commit: kept in memory (bounded) and on disk beside the mirror
/// (`<repos>/<mirror>.index/<sha>.paths`), so a restart reads them instead of walking the tree.
/// Disk reads and writes run on `diskQueue`, never on the cooperative pool (an index file of a large
/// repository is megabytes).
public actor CommitIndexCache {
    private static let diskQueue = DispatchQueue(label: "faultline.commit-index.disk", qos: .utility, attributes: .concurrent)

    private let memory: LRUCache<String, CommitIndex>
    private var building: [String: Task<CommitIndex, any Error>] = [:]
    private var built = 0

    public init(capacity: Int = 64) {
        memory = LRUCache(capacity: capacity)
    }

    /// The index of `commit`, from memory, disk, or the mirror's tree (in that order).
    public func index(for commit: MirroredCommit, reader: MirrorReaderHandle) async throws -> CommitIndex {
        if let index = memory.value(for: commit.commitSHA + commit.mirrorPath) { return index }
        let key = commit.commitSHA + commit.mirrorPath
        if let running = building[key] { return try await running.value }
        let task = Task<CommitIndex, any Error> {
            let file = CommitIndexCache.diskPath(for: commit)
            let sha = commit.commitSHA
            let fromDisk = try await BlockingIO.run(on: CommitIndexCache.diskQueue) {
                FileManager.default.contents(atPath: file).flatMap { CommitIndexCache.decode($0, commit: sha) }
            }
            if let fromDisk { return fromDisk }
            let paths = try await reader.reader.read { repository in try repository.filePaths(commit: sha) }
            try await BlockingIO.run(on: CommitIndexCache.diskQueue) { CommitIndexCache.write(paths, to: file) }
            return CommitIndex(commitSHA: sha, paths: paths)
        }
        building[key] = task
        defer { building[key] = nil }
        let index = try await task.value
        memory.insert(index, for: key)
        built += 1
        return index
    }

    /// A cached index without any I/O, or nil.
    public nonisolated func cachedIndex(for commit: MirroredCommit) -> CommitIndex? {
        memory.value(for: commit.commitSHA + commit.mirrorPath)
    }

    /// How many indexes were loaded from disk or built (not memory hits).
    public func loadCount() -> Int { built }

    static func diskPath(for commit: MirroredCommit) -> String {
        let mirror = URL(fileURLWithPath: commit.mirrorPath)
        let directory = mirror.deletingLastPathComponent().appendingPathComponent(mirror.lastPathComponent + ".index")
        return directory.appendingPathComponent(commit.commitSHA + ".paths").path
    }

    /// Format: a header line `faultline-paths 1 <sha> <count>`, then the paths separated by NUL (paths may hold newlines).
    static func write(_ paths: [String], to file: String) {
        let url = URL(fileURLWithPath: file)
        let sha = url.deletingPathExtension().lastPathComponent
        var data = Data("faultline-paths 1 \(sha) \(paths.count)\n".utf8)
        for path in paths {
            data.append(contentsOf: path.utf8)
            data.append(0)
        }
        // Disk caching is an optimisation: a failure to write only costs a rebuild later.
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: url, options: .atomic)
    }

    static func decode(_ data: Data, commit: String) -> CommitIndex? {
        guard let newline = data.firstIndex(of: 10) else { return nil }
        let header = String(decoding: data[data.startIndex..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 4, header[0] == "faultline-paths", header[1] == "1", header[2] == commit, let count = Int(header[3]) else { return nil }
        var paths: [String] = []
        paths.reserveCapacity(count)
        var start = data.index(after: newline)
        while start < data.endIndex, let end = data[start...].firstIndex(of: 0) {
            paths.append(String(decoding: data[start..<end], as: UTF8.self))
            start = data.index(after: end)
        }
        guard paths.count == count, start == data.endIndex else { return nil }
        return CommitIndex(commitSHA: commit, paths: paths)
    }
}

/// An opaque handle on a mirror's reader, handed out by `MirrorStore`.
public struct MirrorReaderHandle: Sendable {
    let reader: MirrorReader
}
