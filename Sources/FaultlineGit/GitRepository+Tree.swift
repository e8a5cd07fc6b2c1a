internal import CLibgit2
import Foundation

/// Collects blob paths during `git_tree_walk`; passed to C as an `Unmanaged` payload.
private final class TreeWalkState {
    var paths: [String] = []
    /// The last directory prefix seen, as bytes and as a string; libgit2 reuses one buffer for it.
    var lastRootBytes: [CChar] = []
    var lastRoot = ""
}

extension GitRepository {
    /// Every file (blob) path in the commit's tree, recursively; submodules and symlinks' targets are skipped.
    public func filePaths(commit sha: String) throws -> [String] {
        let tree = try tree(ofCommit: sha)
        let state = TreeWalkState()
        let payload = Unmanaged.passUnretained(state).toOpaque()
        let code = withExtendedLifetime(state) {
            git_tree_walk(tree, GIT_TREEWALK_PRE, { root, entry, payload in
                guard let root, let entry, let payload else { return 0 }
                let state = Unmanaged<TreeWalkState>.fromOpaque(payload).takeUnretainedValue()
                // Submodules are GIT_OBJECT_COMMIT entries and trees are walked into: keep blobs only.
                guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB, let name = git_tree_entry_name(entry) else { return 0 }
                let rootLength = strlen(root)
                if rootLength == 0 {
                    state.paths.append(String(cString: name))
                } else {
                    // Same buffer, new content: compare bytes, not the pointer.
                    let current = UnsafeBufferPointer(start: root, count: rootLength)
                    if !state.lastRootBytes.elementsEqual(current) {
                        state.lastRootBytes = Array(current)
                        state.lastRoot = String(cString: root)
                    }
                    state.paths.append(state.lastRoot + String(cString: name))
                }
                return 0
            }, payload)
        }
        guard code >= 0 else {
            throw GitError.fromLibgit2(code, operation: "tree walk", repository: path, commit: sha)
        }
        return state.paths
    }

    /// The file at `filePath` in the commit; throws `.notFound` when absent, `.invalidArgument` when it is not a file.
    public func blob(at filePath: String, commit sha: String) throws -> GitBlob {
        let tree = try tree(ofCommit: sha)
        var entry: OpaquePointer?
        var code = git_tree_entry_bypath(&entry, tree, filePath)
        guard code >= 0, let entry else {
            throw GitError.fromLibgit2(code, operation: "blob read", repository: path, commit: sha, path: filePath)
        }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else {
            throw GitError(kind: .invalidArgument, operation: "blob read", repository: path, commit: sha, path: filePath, message: "the path is a directory or submodule, not a file")
        }
        var blob: OpaquePointer?
        code = git_blob_lookup(&blob, handle, git_tree_entry_id(entry))
        guard code >= 0, let blob else {
            throw GitError.fromLibgit2(code, operation: "blob read", repository: path, commit: sha, path: filePath)
        }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        var bytes = [UInt8](repeating: 0, count: size)
        if size > 0, let raw = git_blob_rawcontent(blob) {
            bytes.withUnsafeMutableBytes { buffer in
                buffer.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: size))
            }
        }
        return GitBlob(sha: GitRepository.hex(git_blob_id(blob)), bytes: bytes, isBinary: git_blob_is_binary(blob) == 1)
    }
}
