internal import CLibgit2

extension GitRepository {
    /// The commit a branch or tag names (`main`, `v2.3.0`, `refs/heads/release`), as git's rules for
    /// short names find it (tags and branches alike; annotated tags peeled); nil when there is no such ref.
    public func resolveReference(_ name: String) throws -> String? {
        var reference: OpaquePointer?
        let code = git_reference_dwim(&reference, handle, name)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
        guard code >= 0, let reference else {
            throw GitError.fromLibgit2(code, operation: "resolve ref \(name)", repository: path)
        }
        defer { git_reference_free(reference) }
        var object: OpaquePointer?
        let peeled = git_reference_peel(&object, reference, GIT_OBJECT_COMMIT)
        guard peeled >= 0, let object else {
            throw GitError.fromLibgit2(peeled, operation: "resolve ref \(name)", repository: path)
        }
        defer { git_object_free(object) }
        return GitRepository.hex(git_object_id(object))
    }
}
