internal import CLibgit2
import Foundation

/// The file paths one commit's tree adds and removes against another's (a file whose content
/// changed in place is in neither list; a moved file is removed at its old path and added at its new one).
public struct GitFileChanges: Sendable, Hashable {
    public var added: [String]
    public var removed: [String]

    public init(added: [String], removed: [String]) {
        self.added = added
        self.removed = removed
    }
}

extension GitRepository {
    /// The first-parent ancestors of `sha`, nearest first, at most `limit` of them; the walk ends early
    /// at a root commit or where the history is not in the repository.
    public func firstParentAncestors(of sha: String, limit: Int) throws -> [String] {
        var ancestors: [String] = []
        var current = try lookupCommit(sha)
        defer { git_commit_free(current) }
        while ancestors.count < limit, git_commit_parentcount(current) > 0 {
            var parent: OpaquePointer?
            let code = git_commit_parent(&parent, current, 0)
            if code == GIT_ENOTFOUND.rawValue { break }
            guard code >= 0, let parent else {
                throw GitError.fromLibgit2(code, operation: "parent lookup", repository: path, commit: GitRepository.hex(git_commit_id(current)))
            }
            git_commit_free(current)
            current = parent
            ancestors.append(GitRepository.hex(git_commit_id(parent)))
        }
        return ancestors
    }

    /// The files added and removed from `base`'s tree to `target`'s (blobs and symlinks, as `filePaths`
    /// lists them; submodules are skipped), or nil when more than `limit` entries changed.
    public func fileChanges(from base: String, to target: String, limit: Int) throws -> GitFileChanges? {
        let oldTree = try tree(ofCommit: base)
        let newTree = try tree(ofCommit: target)
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        var diff: OpaquePointer?
        // No rename detection (that is git_diff_find_similar, not called): adds and deletes are all an index needs.
        let code = git_diff_tree_to_tree(&diff, handle, oldTree, newTree, &options)
        guard code >= 0, let diff else {
            throw GitError.fromLibgit2(code, operation: "tree diff", repository: path, commit: target)
        }
        defer { git_diff_free(diff) }
        let count = git_diff_num_deltas(diff)
        guard count <= limit else { return nil }
        var changes = GitFileChanges(added: [], removed: [])
        for position in 0..<count {
            guard let delta = git_diff_get_delta(diff, position)?.pointee else { continue }
            let wasFile = delta.status != GIT_DELTA_ADDED && GitRepository.isFile(mode: delta.old_file.mode)
            let isFile = delta.status != GIT_DELTA_DELETED && GitRepository.isFile(mode: delta.new_file.mode)
            let oldPath = delta.old_file.path.map { String(cString: $0) }
            let newPath = delta.new_file.path.map { String(cString: $0) }
            if wasFile, isFile, oldPath == newPath { continue }
            if wasFile, let oldPath { changes.removed.append(oldPath) }
            if isFile, let newPath { changes.added.append(newPath) }
        }
        return changes
    }

    /// Whether a tree entry's mode is a blob (regular, executable or symlink), as `git_tree_entry_type` sees it.
    static func isFile(mode: UInt16) -> Bool {
        let kind = UInt32(mode) & 0o170000
        return kind == 0o100000 || kind == 0o120000
    }
}
