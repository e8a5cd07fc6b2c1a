internal import CLibgit2
import Foundation

/// One open libgit2 repository. Not `Sendable`: use it on one thread and open another per task.
public final class GitRepository {
    let handle: OpaquePointer
    /// Where the repository lives on disk.
    public let path: String
    /// Trees of recently used commits, kept so path lookups skip commit→tree resolution.
    private var trees: [String: OpaquePointer] = [:]
    private var treeOrder: [String] = []
    private static let treeCacheLimit = 8

    init(handle: OpaquePointer, path: String) {
        self.handle = handle
        self.path = path
    }

    deinit {
        for tree in trees.values { git_tree_free(tree) }
        git_repository_free(handle)
    }

    /// Opens an existing repository (bare or not) at exactly `path`, without searching parents.
    public static func open(at path: String) throws -> GitRepository {
        Libgit2.ensureInitialised()
        var handle: OpaquePointer?
        let flags = GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
        let code = git_repository_open_ext(&handle, path, flags, nil)
        guard code >= 0, let handle else {
            var error = GitError.fromLibgit2(code, operation: "open", repository: path)
            if code == GIT_ENOTFOUND.rawValue { error.kind = .notARepository }
            throw error
        }
        return GitRepository(handle: handle, path: path)
    }

    /// Whether the repository has no working tree.
    public var isBare: Bool {
        git_repository_is_bare(handle) == 1
    }

    /// Looks up a commit by full or abbreviated (≥ 4 hex digits) SHA.
    public func commit(_ sha: String) throws -> GitCommitInfo {
        let commit = try lookupCommit(sha)
        defer { git_commit_free(commit) }
        return GitRepository.info(of: commit)
    }

    /// Whether the commit is present; other failures (a corrupt pack) still throw.
    public func hasCommit(_ sha: String) throws -> Bool {
        do {
            let commit = try lookupCommit(sha)
            git_commit_free(commit)
            return true
        } catch let error as GitError where error.kind == .notFound {
            return false
        }
    }

    /// Resolves a (possibly abbreviated) SHA to the full 40-digit one.
    public func resolveCommitSHA(_ sha: String) throws -> String {
        let commit = try lookupCommit(sha)
        defer { git_commit_free(commit) }
        return GitRepository.hex(git_commit_id(commit))
    }

    func lookupCommit(_ sha: String) throws -> OpaquePointer {
        let trimmed = sha.lowercased()
        guard (4...40).contains(trimmed.utf8.count), trimmed.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
            throw GitError(kind: .invalidArgument, operation: "commit lookup", repository: path, commit: sha, message: "not a hexadecimal commit id of 4 to 40 digits")
        }
        var oid = git_oid()
        var code = git_oid_fromstrn(&oid, trimmed, trimmed.utf8.count)
        guard code >= 0 else {
            throw GitError.fromLibgit2(code, operation: "commit lookup", repository: path, commit: sha)
        }
        var commit: OpaquePointer?
        code = git_commit_lookup_prefix(&commit, handle, &oid, trimmed.utf8.count)
        guard code >= 0, let commit else {
            throw GitError.fromLibgit2(code, operation: "commit lookup", repository: path, commit: sha)
        }
        return commit
    }

    /// The tree of a commit, cached; owned by the repository (do not free).
    func tree(ofCommit sha: String) throws -> OpaquePointer {
        if let tree = trees[sha] { return tree }
        let commit = try lookupCommit(sha)
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        let code = git_commit_tree(&tree, commit)
        guard code >= 0, let tree else {
            throw GitError.fromLibgit2(code, operation: "tree lookup", repository: path, commit: sha)
        }
        if treeOrder.count >= GitRepository.treeCacheLimit {
            let evicted = treeOrder.removeFirst()
            if let old = trees.removeValue(forKey: evicted) { git_tree_free(old) }
        }
        trees[sha] = tree
        treeOrder.append(sha)
        return tree
    }

    static func info(of commit: OpaquePointer) -> GitCommitInfo {
        let sha = hex(git_commit_id(commit))
        let treeSHA = hex(git_commit_tree_id(commit))
        var parents: [String] = []
        let parentCount = git_commit_parentcount(commit)
        for index in 0..<parentCount {
            if let parent = git_commit_parent_id(commit, index) {
                parents.append(hex(parent))
            }
        }
        let author = signature(git_commit_author(commit))
        let committer = signature(git_commit_committer(commit))
        let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        return GitCommitInfo(sha: sha, treeSHA: treeSHA, parentSHAs: parents, authorName: author.name, authorEmail: author.email, authorTime: author.time, committerTime: committer.time, summary: summary)
    }

    static func signature(_ pointer: UnsafePointer<git_signature>?) -> (name: String, email: String, time: Date) {
        guard let signature = pointer?.pointee else { return ("", "", Date(timeIntervalSince1970: 0)) }
        let name = signature.name.map { String(cString: $0) } ?? ""
        let email = signature.email.map { String(cString: $0) } ?? ""
        return (name, email, Date(timeIntervalSince1970: TimeInterval(signature.when.time)))
    }

    static func hex(_ oid: UnsafePointer<git_oid>?) -> String {
        guard let oid else { return "" }
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buffer, 41, oid)
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
