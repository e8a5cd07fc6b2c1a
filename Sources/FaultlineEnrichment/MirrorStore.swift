import CoreMetrics
import FaultlineCore
import FaultlineGit
import Foundation

/// Keeps one bare mirror per repository: cloned once, fetched only when a commit is missing.
///
/// Concurrent requests for one repository share one clone or fetch; transfers run on their own
/// threads with a timeout and a size limit, so a slow repository holds up only its own requests.
public actor MirrorStore {
    public let configuration: MirrorConfiguration
    private var statuses: [String: MirrorStatus] = [:]
    private var inFlight: [String: Task<Void, any Error>] = [:]
    private var readers: [String: MirrorReader] = [:]
    /// `key#commit` → full SHA, so a known commit costs no git call.
    private var knownCommits: [String: String] = [:]
    /// `key#commit` (or `key` for a failed clone) → when it last failed and why.
    private var failures: [String: (at: ContinuousClock.Instant, error: MirrorError)] = [:]
    private var transfers = (clones: 0, fetches: 0)
    /// `key#commit` of reads on request whose missing commit is being brought in the background.
    private var backgroundPreparations: Set<String> = []
    private let metrics: MirrorTransferMetrics

    /// `metricsFactory` receives clone and fetch durations and failures (the server's `/metrics`).
    public init(configuration: MirrorConfiguration, metricsFactory: any MetricsFactory = MetricsSystem.factory) {
        self.configuration = configuration
        metrics = MirrorTransferMetrics(factory: metricsFactory)
        Libgit2.apply(configuration.tuning)
    }

    /// Makes sure `url`'s mirror exists and holds `commit` (full or abbreviated), cloning or fetching as needed.
    public func prepare(_ url: RepositoryURL, commit: String) async throws(MirrorError) -> MirroredCommit {
        let transfer = try admit(url)
        let key = url.key
        let commitKey = key + "#" + commit.lowercased()
        let path = mirrorPath(for: url)
        if let sha = knownCommits[commitKey] {
            return MirroredCommit(repository: url, mirrorPath: path, commitSHA: sha)
        }
        if let failure = recentFailure(commitKey) ?? recentFailure(key) { throw failure }

        if !FileManager.default.fileExists(atPath: path) {
            try await cloneRecordingFailure(url, from: transfer, into: path)
        }
        do {
            let found: String?
            do {
                found = try await lookup(commit, in: path)
            } catch let error as GitError where error.kind == .notARepository {
                // A mirror directory left damaged (disk full, killed mid-rename): start it again, once.
                try? FileManager.default.removeItem(atPath: path)
                readers[path] = nil
                try await cloneRecordingFailure(url, from: transfer, into: path)
                found = try await lookup(commit, in: path)
            }
            if let sha = found {
                return remember(sha, for: commitKey, url: url, path: path)
            }
            try await shared(key) { try await self.fetch(url, from: transfer, at: path, commit: commit) }
            if let sha = try await lookup(commit, in: path) {
                return remember(sha, for: commitKey, url: url, path: path)
            }
        } catch {
            let failure = failureFor(error, operation: "fetch", url: url, transfer: transfer)
            record(failure, for: commitKey, url: url)
            throw failure
        }
        let missing = MirrorError(kind: .commitNotFound, reason: "commit \(commit) is not in \(Self.describe(url, transfer: transfer)), even after a fetch")
        failures[commitKey] = (ContinuousClock.now, missing)
        setStatus(url, .mirrored, reason: nil)
        throw missing
    }

    /// The commit branch or tag `ref` names on the remote now: the mirror is cloned or fetched first, so a
    /// version is pinned to what was pushed, not to what an old fetch saw. Not remembered: the caller pins it.
    public func resolveRef(_ url: RepositoryURL, ref: String) async throws(MirrorError) -> String {
        let transfer = try admit(url)
        if let failure = recentFailure(url.key) { throw failure }
        let path = mirrorPath(for: url)
        if !FileManager.default.fileExists(atPath: path) {
            try await cloneRecordingFailure(url, from: transfer, into: path)
        } else {
            do {
                try await shared(url.key) { try await self.fetch(url, from: transfer, at: path, commit: nil) }
            } catch {
                let failure = failureFor(error, operation: "fetch", url: url, transfer: transfer)
                record(failure, for: url.key, url: url)
                throw failure
            }
        }
        let found: String?
        do {
            found = try await reader(forMirrorAt: path).read { repository in try repository.resolveReference(ref) }
        } catch {
            throw failureFor(error, operation: "resolving ref \(ref)", url: url, transfer: transfer)
        }
        guard let sha = found else {
            throw MirrorError(kind: .commitNotFound, reason: "\(ref) is not a branch or tag of \(url.displayURL)")
        }
        return sha
    }

    /// Forgets recent failures, so the next request tries every repository again at once (`repos sync`).
    public func forgetFailures() {
        failures.removeAll()
    }

    /// `commit` from the mirror as it is, for reads on request: never clones or fetches. When the mirror
    /// or the commit is missing, a background `prepare` is started (once per commit at a time) and the
    /// error says so; the next read finds what it brought.
    public func prepareWithoutTransfer(_ url: RepositoryURL, commit: String) async throws(MirrorError) -> MirroredCommit {
        _ = try admit(url)
        let commitKey = url.key + "#" + commit.lowercased()
        let path = mirrorPath(for: url)
        if let sha = knownCommits[commitKey] {
            return MirroredCommit(repository: url, mirrorPath: path, commitSHA: sha)
        }
        let exists = FileManager.default.fileExists(atPath: path)
        if exists, let sha = try? await lookup(commit, in: path) {
            return remember(sha, for: commitKey, url: url, path: path)
        }
        if !backgroundPreparations.contains(commitKey) {
            backgroundPreparations.insert(commitKey)
            Task {
                _ = try? await self.prepare(url, commit: commit)
                self.backgroundPreparationEnded(commitKey)
            }
        }
        if exists {
            throw MirrorError(kind: .commitNotFound, reason: "commit \(commit) is not in the mirror of \(url.displayURL) yet; a fetch was queued")
        }
        throw MirrorError(kind: .unavailable, reason: "\(url.displayURL) is not mirrored yet; a clone was queued")
    }

    private func backgroundPreparationEnded(_ commitKey: String) {
        backgroundPreparations.remove(commitKey)
    }

    /// `prepareWithoutTransfer`, plus the mirror's reader.
    func prepareForReadingWithoutTransfer(_ url: RepositoryURL, commit: String) async throws(MirrorError) -> (MirroredCommit, MirrorReaderHandle) {
        let mirrored = try await prepareWithoutTransfer(url, commit: commit)
        return (mirrored, MirrorReaderHandle(reader: reader(forMirrorAt: mirrored.mirrorPath)))
    }

    /// `prepare`, plus the mirror's reader, in one call (one actor hop for the enricher).
    func prepareForReading(_ url: RepositoryURL, commit: String) async throws(MirrorError) -> (MirroredCommit, MirrorReaderHandle) {
        let mirrored = try await prepare(url, commit: commit)
        return (mirrored, MirrorReaderHandle(reader: reader(forMirrorAt: mirrored.mirrorPath)))
    }

    /// Every mirror's state, sorted by key.
    public func allStatuses() -> [MirrorStatus] {
        statuses.values.sorted { $0.key < $1.key }
    }

    public func status(of url: RepositoryURL) -> MirrorStatus? {
        statuses[url.key]
    }

    /// How many clones and fetches this store has started (shared requests count once).
    public func transferCounts() -> (clones: Int, fetches: Int) {
        transfers
    }

    /// The mirror directory of `url` (it may not exist yet).
    public nonisolated func mirrorPath(for url: RepositoryURL) -> String {
        configuration.directory.appendingPathComponent(url.mirrorDirectoryName).path
    }

    /// The reader of a prepared mirror: one open repository on its own serial queue.
    public func reader(for commit: MirroredCommit) -> MirrorReaderHandle {
        MirrorReaderHandle(reader: reader(forMirrorAt: commit.mirrorPath))
    }

    func reader(forMirrorAt path: String) -> MirrorReader {
        if let reader = readers[path] { return reader }
        let reader = MirrorReader(path: path)
        readers[path] = reader
        return reader
    }

    // MARK: - Transfers

    private func cloneRecordingFailure(_ url: RepositoryURL, from transfer: RepositoryURL, into path: String) async throws(MirrorError) {
        do {
            try await shared(url.key) { try await self.clone(url, from: transfer, into: path) }
        } catch {
            let failure = failureFor(error, operation: "clone", url: url, transfer: transfer)
            record(failure, for: url.key, url: url)
            throw failure
        }
    }

    /// Runs `operation` unless one is already running for `key`, in which case it waits for that one.
    private func shared(_ key: String, _ operation: @escaping @Sendable () async throws -> Void) async throws {
        if let running = inFlight[key] {
            try await running.value
            return
        }
        let task = Task { try await operation() }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        try await task.value
    }

    /// Clones `transfer` (the tagged `url` after any rewrite) as `url`'s mirror.
    private func clone(_ url: RepositoryURL, from transfer: RepositoryURL, into path: String) async throws {
        transfers.clones += 1
        setStatus(url, .cloning, reason: nil)
        try FileManager.default.createDirectory(at: configuration.directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp-" + UUID().uuidString
        let options = transferOptions(for: transfer)
        let cloneURL = transfer.cloneURL
        let timeout = configuration.timeout
        let started = ContinuousClock.now
        var failed = true
        defer { metrics.record(.clone, since: started, failed: failed) }
        _ = try await BlockingGit.run(timeout: timeout, cancellation: options.cancellation ?? GitCancellation(), onTimeout: {
            GitError(kind: .timedOut, operation: "clone", repository: cloneURL, message: "no answer within \(timeout)")
        }) {
            // Clone beside the final place and rename, so a failed clone never leaves a half mirror.
            do {
                _ = try GitRepository.cloneMirror(from: cloneURL, into: temporary, options: options)
                try FileManager.default.moveItem(atPath: temporary, toPath: path)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw error
            }
        }
        failed = false
        setStatus(url, .mirrored, reason: nil)
    }

    private func fetch(_ url: RepositoryURL, from transfer: RepositoryURL, at path: String, commit: String?) async throws {
        transfers.fetches += 1
        setStatus(url, .fetching, reason: nil)
        let options = transferOptions(for: transfer)
        let timeout = configuration.timeout
        let cloneURL = transfer.cloneURL
        let started = ContinuousClock.now
        var failed = true
        defer { metrics.record(.fetch, since: started, failed: failed) }
        _ = try await BlockingGit.run(timeout: timeout, cancellation: options.cancellation ?? GitCancellation(), onTimeout: {
            GitError(kind: .timedOut, operation: "fetch", repository: cloneURL, message: "no answer within \(timeout)")
        }) {
            // A rewrite configured after the clone applies to the next fetch: origin follows it.
            try GitRepository.open(at: path).fetch(commit: commit, from: cloneURL, options: options)
        }
        failed = false
        setStatus(url, .mirrored, reason: nil)
    }

    private func lookup(_ commit: String, in path: String) async throws -> String? {
        try await reader(forMirrorAt: path).read { repository in
            guard try repository.hasCommit(commit) else { return nil }
            return try repository.resolveCommitSHA(commit)
        }
    }

    private func transferOptions(for url: RepositoryURL) -> GitTransferOptions {
        GitTransferOptions(
            maxBytes: configuration.maxBytes,
            deadline: .now + configuration.timeout,
            cancellation: GitCancellation(),
            credentials: configuration.credentials.credentials(for: url),
            copyLocalObjects: true
        )
    }

    // MARK: - Bookkeeping

    private func remember(_ sha: String, for commitKey: String, url: RepositoryURL, path: String) -> MirroredCommit {
        knownCommits[commitKey] = sha
        failures[commitKey] = nil
        if statuses[url.key]?.state != .mirrored { setStatus(url, .mirrored, reason: nil) }
        return MirroredCommit(repository: url, mirrorPath: path, commitSHA: sha)
    }

    private func recentFailure(_ key: String) -> MirrorError? {
        guard let failure = failures[key] else { return nil }
        if ContinuousClock.now - failure.at < configuration.retryAfter { return failure.error }
        failures[key] = nil
        return nil
    }

    private func record(_ failure: MirrorError, for key: String, url: RepositoryURL) {
        failures[key] = (ContinuousClock.now, failure)
        setStatus(url, .failed, reason: failure.reason)
    }

    private func failureFor(_ error: any Error, operation: String, url: RepositoryURL, transfer: RepositoryURL) -> MirrorError {
        if let mirror = error as? MirrorError { return mirror }
        let name = Self.describe(url, transfer: transfer)
        guard let git = error as? GitError else {
            return MirrorError(kind: .unavailable, reason: "\(operation) of \(name) failed: \(GitError.redactCredentials(String(describing: error)))")
        }
        switch git.kind {
        case .timedOut: return MirrorError(kind: .unavailable, reason: "\(operation) of \(name) timed out")
        case .sizeLimitExceeded: return MirrorError(kind: .unavailable, reason: "\(operation) of \(name) stopped: \(git.message)")
        case .notARepository: return MirrorError(kind: .unavailable, reason: "\(name) is not a git repository")
        case .corrupt: return MirrorError(kind: .unavailable, reason: "\(name) is damaged: \(git.message)")
        default: return MirrorError(kind: .unavailable, reason: "\(operation) of \(name) failed: \(git.message)")
        }
    }

    /// The URL to transfer `url` from, once the allow-list admits it: after `repo-url-rewrite`, spelled as
    /// the local disk has it. The tagged `url` stays the mirror's identity.
    private func admit(_ url: RepositoryURL) throws(MirrorError) -> RepositoryURL {
        guard configuration.allowList.allows(url) else {
            throw MirrorError(kind: .notAllowed, reason: configuration.allowList.refusal(url))
        }
        do {
            return try Self.existingLocalSpelling(of: configuration.rewrites.effective(url))
        } catch {
            throw MirrorError(kind: .unavailable, reason: error.reason)
        }
    }

    /// A local repository as git finds it: `shop.git` names `shop` when only that exists, and the reverse
    /// (a rewrite keeps the tagged `.git` suffix, a directory on disk may not have it).
    static func existingLocalSpelling(of url: RepositoryURL) throws(RepositoryURLError) -> RepositoryURL {
        guard url.isLocal, !FileManager.default.fileExists(atPath: url.path) else { return url }
        let other = url.path.hasSuffix(".git") ? String(url.path.dropLast(4)) : url.path + ".git"
        guard !other.isEmpty, FileManager.default.fileExists(atPath: other) else { return url }
        return try RepositoryURL(other)
    }

    /// The URL a transfer really used, for errors: after Faultline's rewrites and git configuration's
    /// `insteadOf`, with the tagged URL beside it when they differ. Never carries credentials.
    static func describe(_ url: RepositoryURL, transfer: RepositoryURL) -> String {
        let effective = GitError.redactCredentials(GitConfiguration.applyingInsteadOf(to: transfer.cloneURL))
        let shown = effective == transfer.cloneURL ? transfer.displayURL : effective
        return shown == url.displayURL ? shown : "\(shown) (rewritten from \(url.displayURL))"
    }

    private func setStatus(_ url: RepositoryURL, _ state: MirrorStatus.State, reason: String?) {
        statuses[url.key] = MirrorStatus(repositoryURL: url.displayURL, key: url.key, state: state, reason: reason, updatedAt: Date())
    }
}
