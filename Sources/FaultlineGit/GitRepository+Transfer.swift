internal import CLibgit2
import Foundation

/// The refspec of a mirror: every ref of the remote, force-updated under the same name.
private let mirrorRefspec = "+refs/*:refs/*"

extension GitRepository {
    /// Clones `url` as a bare mirror (all refs, no working tree) into `directory`, which must not exist yet.
    /// `url` must carry no credentials: they come from `options.credentials` through libgit2's callback.
    public static func cloneMirror(from url: String, into directory: String, options: GitTransferOptions = GitTransferOptions()) throws -> GitRepository {
        Libgit2.ensureInitialised()
        let state = TransferState(options: options)
        let payload = Unmanaged.passUnretained(state).toOpaque()
        var cloneOptions = git_clone_options()
        git_clone_options_init(&cloneOptions, UInt32(GIT_CLONE_OPTIONS_VERSION))
        cloneOptions.bare = 1
        cloneOptions.local = options.copyLocalObjects ? GIT_CLONE_LOCAL_NO_LINKS : GIT_CLONE_NO_LOCAL
        cloneOptions.checkout_opts.checkout_strategy = GIT_CHECKOUT_NONE.rawValue
        cloneOptions.remote_cb = { remote, repository, name, url, _ in
            git_remote_create_with_fetchspec(remote, repository, name, url, mirrorRefspec)
        }
        configure(&cloneOptions.fetch_opts, payload: payload)

        // A local source is copied (no pack protocol, so no progress callbacks): check its limits here.
        let localSource = options.copyLocalObjects ? localSourcePath(url) : nil
        if let localSource {
            try checkLocalSource(localSource, url: url, state: state)
        }
        var handle: OpaquePointer?
        let code = TransferScope.run(state) {
            git_clone(&handle, url, directory, &cloneOptions)
        }
        options.meter?.record(receivedBytes: state.receivedBytes)
        guard code >= 0, let handle else {
            throw transferError(code, operation: "clone", repository: url, state: state)
        }
        if localSource != nil, state.checkTimeAndCancellation() != 0 {
            // The copy finished after its deadline: the caller was already told it timed out.
            git_repository_free(handle)
            try? FileManager.default.removeItem(atPath: directory)
            throw GitError(kind: state.abortReason ?? .timedOut, operation: "clone", repository: url, message: abortMessage(state.abortReason ?? .timedOut, state: state))
        }
        // Clone leaves refs/remotes/origin/HEAD behind; a mirror has only the remote's own refs.
        var originHead: OpaquePointer?
        if git_reference_lookup(&originHead, handle, "refs/remotes/origin/HEAD") == 0, let originHead {
            git_reference_delete(originHead)
            git_reference_free(originHead)
        }
        return GitRepository(handle: handle, path: directory)
    }

    /// Fetches every ref of `origin`; then, when `commit` is still missing and the server allows
    /// fetching by id, that commit too. Returns whether `commit` (if given) is now present.
    /// With `url`, origin is first pointed there (when it differs), so a changed source takes effect.
    @discardableResult
    public func fetch(commit: String? = nil, from url: String? = nil, options: GitTransferOptions = GitTransferOptions()) throws -> Bool {
        if let url, url != originURL {
            let code = git_remote_set_url(handle, "origin", url)
            guard code >= 0 else { throw GitError.fromLibgit2(code, operation: "fetch", repository: url, commit: commit) }
        }
        var remote: OpaquePointer?
        var code = git_remote_lookup(&remote, handle, "origin")
        guard code >= 0, let remote else {
            throw GitError.fromLibgit2(code, operation: "fetch", repository: path, commit: commit)
        }
        defer { git_remote_free(remote) }
        let displayURL = git_remote_url(remote).map { String(cString: $0) } ?? path

        let state = TransferState(options: options)
        let payload = Unmanaged.passUnretained(state).toOpaque()
        var fetchOptions = git_fetch_options()
        git_fetch_options_init(&fetchOptions, UInt32(GIT_FETCH_OPTIONS_VERSION))
        GitRepository.configure(&fetchOptions, payload: payload)

        code = TransferScope.run(state) {
            git_remote_fetch(remote, nil, &fetchOptions, nil)
        }
        options.meter?.record(receivedBytes: state.receivedBytes)
        guard code >= 0 else {
            throw GitRepository.transferError(code, operation: "fetch", repository: displayURL, state: state, commit: commit)
        }
        guard let commit else { return true }
        if try hasCommit(commit) { return true }
        // Fetching one commit by id only works for full ids and servers that allow it (uploadpack.allowAnySHA1InWant).
        guard commit.utf8.count == 40 else { return false }
        let refspec = "+\(commit.lowercased()):refs/faultline/\(commit.lowercased())"
        let byIDState = TransferState(options: options)
        let byIDPayload = Unmanaged.passUnretained(byIDState).toOpaque()
        GitRepository.configure(&fetchOptions, payload: byIDPayload)
        let fetched: Int32 = TransferScope.run(byIDState) {
            refspec.withCString { refspecPointer in
                var strings: [UnsafeMutablePointer<CChar>?] = [UnsafeMutablePointer(mutating: refspecPointer)]
                return strings.withUnsafeMutableBufferPointer { buffer in
                    var array = git_strarray(strings: buffer.baseAddress, count: 1)
                    return git_remote_fetch(remote, &array, &fetchOptions, nil)
                }
            }
        }
        options.meter?.record(receivedBytes: byIDState.receivedBytes)
        if fetched < 0 {
            // Servers commonly refuse a want for an unadvertised id: that simply means "missing".
            if let reason = byIDState.abortReason {
                throw GitError(kind: reason, operation: "fetch", repository: displayURL, commit: commit, message: GitRepository.abortMessage(reason, state: byIDState))
            }
            return false
        }
        return try hasCommit(commit)
    }

    /// The directory libgit2 copies instead of running the pack protocol (`GIT_CLONE_LOCAL_NO_LINKS`):
    /// a `file://` URL's path, or a path naming an existing directory; nil for network URLs.
    static func localSourcePath(_ url: String) -> String? {
        if url.lowercased().hasPrefix("file://") {
            guard let components = URLComponents(string: url), (components.host ?? "").isEmpty || components.host == "localhost" else { return nil }
            return components.percentEncodedPath.removingPercentEncoding ?? components.path
        }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url, isDirectory: &isDirectory) && isDirectory.boolValue ? url : nil
    }

    /// Refuses a local copy that is past its deadline, cancelled, or whose object database exceeds the size limit.
    private static func checkLocalSource(_ path: String, url: String, state: TransferState) throws {
        if state.checkTimeAndCancellation() != 0 {
            let reason = state.abortReason ?? .cancelled
            throw GitError(kind: reason, operation: "clone", repository: url, message: abortMessage(reason, state: state))
        }
        guard let limit = state.options.maxBytes else { return }
        // A source libgit2 cannot open is left to git_clone, which reports it.
        guard let source = try? GitRepository.open(at: path), let objects = source.objectsDirectory else { return }
        if directorySize(objects, exceeding: limit) > limit {
            state.abortReason = .sizeLimitExceeded
            throw GitError(kind: .sizeLimitExceeded, operation: "clone", repository: url, message: abortMessage(.sizeLimitExceeded, state: state))
        }
    }

    /// Bytes of the regular files under `directory`, stopping early once past `limit`.
    private static func directorySize(_ directory: String, exceeding limit: Int) -> Int {
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey]
        guard let files = FileManager.default.enumerator(at: URL(fileURLWithPath: directory), includingPropertiesForKeys: keys) else { return 0 }
        var total = 0
        for case let file as URL in files {
            guard let values = try? file.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            total += values.fileSize ?? 0
            if total > limit { break }
        }
        return total
    }

    /// The repository's object database directory (`objects/`, shared by worktrees).
    var objectsDirectory: String? {
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        guard git_repository_item_path(&buffer, handle, GIT_REPOSITORY_ITEM_OBJECTS) == 0, let pointer = buffer.ptr else { return nil }
        return String(cString: pointer)
    }

    /// The URL of `origin`, as stored in the mirror's configuration.
    public var originURL: String? {
        var remote: OpaquePointer?
        guard git_remote_lookup(&remote, handle, "origin") >= 0, let remote else { return nil }
        defer { git_remote_free(remote) }
        return git_remote_url(remote).map { String(cString: $0) }
    }

    static func configure(_ fetchOptions: inout git_fetch_options, payload: UnsafeMutableRawPointer) {
        fetchOptions.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL
        fetchOptions.prune = GIT_FETCH_PRUNE
        fetchOptions.callbacks.payload = payload
        fetchOptions.callbacks.transfer_progress = { stats, payload in
            guard let stats, let payload else { return 0 }
            let state = Unmanaged<TransferState>.fromOpaque(payload).takeUnretainedValue()
            return state.check(receivedBytes: Int(stats.pointee.received_bytes))
        }
        fetchOptions.callbacks.sideband_progress = { _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<TransferState>.fromOpaque(payload).takeUnretainedValue().checkTimeAndCancellation()
        }
        fetchOptions.callbacks.credentials = { out, _, usernameFromURL, allowedTypes, payload in
            guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
            let state = Unmanaged<TransferState>.fromOpaque(payload).takeUnretainedValue()
            state.credentialAttempts += 1
            guard let credentials = state.options.credentials else {
                state.credentialsMissing = true
                return GIT_PASSTHROUGH.rawValue
            }
            // libgit2 asks again after a rejected credential: stop instead of looping forever, and say so.
            guard state.credentialAttempts <= 2 else {
                state.credentialsRejected = true
                return GIT_EUSER.rawValue
            }
            switch credentials {
            case let .token(username, token):
                guard allowedTypes & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
                return git_credential_userpass_plaintext_new(out, username, token)
            case let .sshKey(username, publicKeyPath, privateKeyPath, passphrase):
                let user = usernameFromURL.map { String(cString: $0) } ?? username
                if allowedTypes & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
                    return git_credential_username_new(out, user)
                }
                guard allowedTypes & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
                return git_credential_ssh_key_new(out, user, publicKeyPath, privateKeyPath, passphrase)
            }
        }
    }

    static func transferError(_ code: Int32, operation: String, repository: String, state: TransferState, commit: String? = nil) -> GitError {
        // Read libgit2's error first: nothing may run in between.
        var error = GitError.fromLibgit2(code, operation: operation, repository: repository, commit: commit)
        // A failure after the deadline or a cancellation is that (the watchdog's shutdown shows up as a read error).
        if state.abortReason == nil { _ = state.checkTimeAndCancellation() }
        if let reason = state.abortReason {
            error.kind = reason
            error.message = abortMessage(reason, state: state)
        } else if state.credentialsRejected {
            // libgit2 only knows that the callback gave up ("no callback set" or a user error).
            error.kind = .authentication
            error.message = "the server rejected the configured credentials"
        } else if state.credentialsMissing {
            error.kind = .authentication
            error.message = "the server asks for credentials and none are configured for this repository's host (https or ssh only)"
        }
        return error
    }

    static func abortMessage(_ reason: GitError.Kind, state: TransferState) -> String {
        switch reason {
        case .sizeLimitExceeded:
            return "the repository exceeds the size limit of \(state.options.maxBytes ?? 0) bytes"
        case .timedOut:
            return "the transfer did not finish before its deadline"
        default:
            return "the transfer was cancelled"
        }
    }
}
