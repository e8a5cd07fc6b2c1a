import Dispatch
import FaultlineGit
import Foundation

/// Commit indexes, built once per commit: kept in memory (bounded) and on disk beside the mirror
/// (`<repos>/<mirror>.index/<sha>.paths`), so a restart reads them instead of walking the tree. The
/// index of a fresh deploy is derived from its nearest indexed first-parent ancestor and the tree diff
/// between them, when that diff is small, instead of a walk of the whole tree.
/// Disk reads and writes run on `diskQueue`, never on the cooperative pool (an index file of a large
/// repository is megabytes).
public actor CommitIndexCache {
    private static let diskQueue = DispatchQueue(label: "faultline.commit-index.disk", qos: .utility, attributes: .concurrent)

    private let memory: LRUCache<String, CommitIndex>
    private var building: [String: Task<(CommitIndex, Origin), any Error>] = [:]
    private var counts = CommitIndexStatistics()
    /// How many first parents to walk back looking for an indexed ancestor.
    private let ancestorSteps: Int
    /// A diff from that ancestor with more entries than this is not applied: the tree is walked instead.
    private let maxDerivedChanges: Int

    private enum Origin {
        case disk, walked, derived
    }

    public init(capacity: Int = 64, ancestorSteps: Int = 64, maxDerivedChanges: Int = 5000) {
        memory = LRUCache(capacity: capacity)
        self.ancestorSteps = max(0, ancestorSteps)
        self.maxDerivedChanges = max(0, maxDerivedChanges)
    }

    /// The index of `commit`, from memory, disk, the index of a near ancestor plus the tree diff
    /// from it, or the mirror's tree (in that order).
    public func index(for commit: MirroredCommit, reader: MirrorReaderHandle) async throws -> CommitIndex {
        if let index = memory.value(for: commit.commitSHA + commit.mirrorPath) { return index }
        let key = commit.commitSHA + commit.mirrorPath
        if let running = building[key] { return try await running.value.0 }
        let task = Task<(CommitIndex, Origin), any Error> {
            let file = CommitIndexCache.diskPath(for: commit)
            let sha = commit.commitSHA
            let fromDisk = try await BlockingIO.run(on: CommitIndexCache.diskQueue) {
                FileManager.default.contents(atPath: file).flatMap { CommitIndexCache.decode($0, commit: sha) }
            }
            if let fromDisk { return (fromDisk, .disk) }
            // A derivation that fails (a damaged ancestor index, a missing parent) falls back to the walk.
            if let derived = try? await self.derivedPaths(for: commit, reader: reader) {
                try await BlockingIO.run(on: CommitIndexCache.diskQueue) { CommitIndexCache.write(derived, to: file) }
                return (CommitIndex(commitSHA: sha, paths: derived), .derived)
            }
            let paths = try await reader.reader.read { repository in try repository.filePaths(commit: sha) }
            try await BlockingIO.run(on: CommitIndexCache.diskQueue) { CommitIndexCache.write(paths, to: file) }
            return (CommitIndex(commitSHA: sha, paths: paths), .walked)
        }
        building[key] = task
        defer { building[key] = nil }
        let (index, origin) = try await task.value
        memory.insert(index, for: key)
        switch origin {
        case .disk: counts.fromDisk += 1
        case .walked: counts.walked += 1
        case .derived: counts.derived += 1
        }
        return index
    }

    /// The paths of `commit` from the nearest first-parent ancestor whose index is in memory or on disk,
    /// with the tree diff between them applied; nil when there is none or the diff is too large.
    private func derivedPaths(for commit: MirroredCommit, reader: MirrorReaderHandle) async throws -> [String]? {
        let sha = commit.commitSHA
        let steps = ancestorSteps
        guard steps > 0 else { return nil }
        let ancestors = try await reader.reader.read { repository in try repository.firstParentAncestors(of: sha, limit: steps) }
        guard !ancestors.isEmpty else { return nil }
        let memory = self.memory
        let mirrorPath = commit.mirrorPath
        let base = try await BlockingIO.run(on: CommitIndexCache.diskQueue) { () -> (sha: String, paths: [String])? in
            for ancestor in ancestors {
                if let index = memory.value(for: ancestor + mirrorPath) { return (ancestor, index.paths) }
                let file = CommitIndexCache.diskPath(mirrorPath: mirrorPath, commitSHA: ancestor)
                if let data = FileManager.default.contents(atPath: file), let paths = CommitIndexCache.decodePaths(data, commit: ancestor) {
                    return (ancestor, paths)
                }
            }
            return nil
        }
        guard let base else { return nil }
        let limit = maxDerivedChanges
        let changes = try await reader.reader.read { repository in try repository.fileChanges(from: base.sha, to: sha, limit: limit) }
        guard let changes else { return nil }
        return CommitIndexCache.apply(changes, to: base.paths)
    }

    /// `base` (in tree order: bytewise by path) without the removed paths and with the added ones, kept in tree order.
    static func apply(_ changes: GitFileChanges, to base: [String]) -> [String] {
        let removed = Set(changes.removed)
        let added = changes.added.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var result: [String] = []
        result.reserveCapacity(base.count + added.count)
        var next = added.startIndex
        for path in base where !removed.contains(path) {
            while next < added.endIndex, added[next].utf8.lexicographicallyPrecedes(path.utf8) {
                result.append(added[next])
                next += 1
            }
            if next < added.endIndex, added[next].utf8.elementsEqual(path.utf8) { next += 1 }
            result.append(path)
        }
        result.append(contentsOf: added[next...])
        return result
    }

    /// A cached index without any I/O, or nil.
    public nonisolated func cachedIndex(for commit: MirroredCommit) -> CommitIndex? {
        memory.value(for: commit.commitSHA + commit.mirrorPath)
    }

    /// How many indexes were loaded from disk or built (not memory hits).
    public func loadCount() -> Int { counts.fromDisk + counts.walked + counts.derived }

    /// How each index not found in memory was obtained.
    public func statistics() -> CommitIndexStatistics { counts }

    static func diskPath(for commit: MirroredCommit) -> String {
        diskPath(mirrorPath: commit.mirrorPath, commitSHA: commit.commitSHA)
    }

    static func diskPath(mirrorPath: String, commitSHA: String) -> String {
        let mirror = URL(fileURLWithPath: mirrorPath)
        let directory = mirror.deletingLastPathComponent().appendingPathComponent(mirror.lastPathComponent + ".index")
        return directory.appendingPathComponent(commitSHA + ".paths").path
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
        decodePaths(data, commit: commit).map { CommitIndex(commitSHA: commit, paths: $0) }
    }

    static func decodePaths(_ data: Data, commit: String) -> [String]? {
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
        return paths
    }
}

/// How a `CommitIndexCache` obtained the indexes it did not have in memory.
public struct CommitIndexStatistics: Sendable, Hashable {
    /// Read from the disk cache beside the mirror.
    public var fromDisk = 0
    /// Built by walking the commit's whole tree.
    public var walked = 0
    /// Derived from a near ancestor's index and the tree diff from it.
    public var derived = 0

    public init() {}
}

/// An opaque handle on a mirror's reader, handed out by `MirrorStore`.
public struct MirrorReaderHandle: Sendable {
    let reader: MirrorReader
}
