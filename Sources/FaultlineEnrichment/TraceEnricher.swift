import CoreMetrics
import FaultlineCore
import FaultlineGit
import Foundation

/// Turns a stack trace and its Git link into per-frame sources: path, snippet, permalink, status.
///
/// Never throws: every failure becomes a frame status with a one-line reason.
public final class TraceEnricher: Sendable {
    public let mirrors: MirrorStore
    public let options: EnrichmentOptions
    private let indexes: CommitIndexCache
    private let files: LRUCache<SourceKey, SourceFile>
    private let blames: LRUCache<SourceKey, BlameResult>
    private let snippets: SnippetBuilder
    /// (URL as sent, commit as sent) → its prepared mirror: repeated traces skip URL parsing and the store.
    private let prepared: LRUCache<PreparedKey, PreparedCommit>

    public init(mirrors: MirrorStore, options: EnrichmentOptions = EnrichmentOptions()) {
        self.mirrors = mirrors
        self.options = options
        indexes = CommitIndexCache(capacity: options.indexCacheCapacity)
        files = LRUCache(capacity: options.fileCacheCapacity)
        blames = LRUCache(capacity: options.fileCacheCapacity * 4)
        snippets = SnippetBuilder(contextLines: options.contextLines)
        prepared = LRUCache(capacity: 1024)
    }

    /// `metricsFactory` receives the mirrors' clone and fetch metrics.
    public convenience init(
        configuration: MirrorConfiguration, options: EnrichmentOptions = EnrichmentOptions(), metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.init(mirrors: MirrorStore(configuration: configuration, metricsFactory: metricsFactory), options: options)
    }

    /// Enriches every frame of every exception of `trace` at `link`'s commit.
    /// `firstSeen` (the issue's) selects the suspect commit when blame is on. With `transfers` false
    /// (reads on request) only mirrors already present are read: a missing mirror or commit is fetched
    /// in the background and its frames say so.
    public func enrich(_ trace: StackTrace, link: GitLink?, mappings: [PathMapping] = [], firstSeen: Date? = nil, transfers: Bool = true) async -> EnrichedTrace {
        let shape = trace.exceptions.map(\.frames)
        func everyFrame(_ status: FrameSourceStatus, _ reason: String, url: String? = nil, sha: String? = nil) -> EnrichedTrace {
            .everyFrame(ofShape: shape, status, reason, repositoryURL: url, commitSHA: sha)
        }
        guard let link else {
            return everyFrame(.repositoryUnavailable, "no repository is linked to this service version")
        }
        // Warm path: this exact (URL, commit) was prepared before; skip parsing and the mirror store.
        let preparedKey = PreparedKey(url: link.repositoryURL, commit: link.commitSHA ?? "")
        if let ready = prepared.value(for: preparedKey) {
            return await enrich(shape, language: trace.language, mirrored: ready.mirrored, reader: ready.reader, mappings: mappings, firstSeen: firstSeen)
        }
        let repository: RepositoryURL
        do {
            repository = try RepositoryURL(link.repositoryURL)
        } catch {
            return everyFrame(.repositoryUnavailable, error.description)
        }
        let display = repository.displayURL
        guard let commit = link.commitSHA, !commit.isEmpty else {
            return everyFrame(.noCommit, "the event names no commit and no link gives one; Faultline never guesses a branch", url: display)
        }
        let mirrored: MirroredCommit
        let reader: MirrorReaderHandle
        do {
            if transfers {
                (mirrored, reader) = try await mirrors.prepareForReading(repository, commit: commit)
            } else {
                (mirrored, reader) = try await mirrors.prepareForReadingWithoutTransfer(repository, commit: commit)
            }
        } catch {
            return everyFrame(error.frameStatus, error.reason, url: display, sha: commit)
        }
        prepared.insert(PreparedCommit(mirrored: mirrored, reader: reader), for: preparedKey)
        return await enrich(shape, language: trace.language, mirrored: mirrored, reader: reader, mappings: mappings, firstSeen: firstSeen)
    }

    private func enrich(_ shape: [[Frame]], language: Language, mirrored: MirroredCommit, reader: MirrorReaderHandle, mappings: [PathMapping], firstSeen: Date?) async -> EnrichedTrace {
        let repository = mirrored.repository
        let display = repository.displayURL
        let index: CommitIndex
        do {
            // The memory cache is read without entering the actor: warm traces skip a hop.
            if let cached = indexes.cachedIndex(for: mirrored) {
                index = cached
            } else {
                index = try await indexes.index(for: mirrored, reader: reader)
            }
        } catch {
            return .everyFrame(
                ofShape: shape, .repositoryUnavailable, "could not list the files of commit \(mirrored.commitSHA): \(TraceEnricher.message(error))",
                repositoryURL: display, commitSHA: mirrored.commitSHA)
        }

        let resolver = FrameResolver(mappings: mappings, repository: repository)
        var exceptions: [[FrameSource]] = []
        var suspects: [SuspectCommit] = []
        for frames in shape {
            var sources: [FrameSource] = []
            sources.reserveCapacity(frames.count)
            for frame in frames {
                var source = await self.source(of: frame, language: language, resolver: resolver, index: index, mirrored: mirrored, display: display, reader: reader)
                if options.includeBlame, source.status == .resolved, frame.inApp, let path = source.path, let line = source.line {
                    source.suspectCommit = await blame(path: path, line: line, mirrored: mirrored, reader: reader)
                    if let suspect = source.suspectCommit { suspects.append(suspect) }
                }
                sources.append(source)
            }
            exceptions.append(sources)
        }
        let suspect = options.includeBlame ? TraceEnricher.suspect(among: suspects, firstSeen: firstSeen ?? Date(), window: options.suspectWindow) : nil
        return EnrichedTrace(repositoryURL: display, commitSHA: mirrored.commitSHA, exceptions: exceptions, suspectCommit: suspect)
    }

    /// Datadog's rule: the most recent commit authored before `firstSeen` and no more than `window` before it.
    public static func suspect(among candidates: [SuspectCommit], firstSeen: Date, window: TimeInterval) -> SuspectCommit? {
        candidates
            .filter { $0.authoredAt < firstSeen && firstSeen.timeIntervalSince($0.authoredAt) <= window }
            .max { $0.authoredAt < $1.authoredAt }
    }

    private func source(of frame: Frame, language: Language, resolver: FrameResolver, index: CommitIndex, mirrored: MirroredCommit, display: String, reader: MirrorReaderHandle) async -> FrameSource {
        let sha = mirrored.commitSHA
        var source = FrameSource(repositoryURL: display, commitSHA: sha, line: frame.line, status: .notInRepository, reason: "")
        let path: String
        switch resolver.resolve(frame, language: language, in: index) {
        case .notInRepository(let reason):
            source.reason = reason
            return source
        case .ambiguous(let candidates, let reason):
            source.status = .ambiguous
            let shown = candidates.prefix(3).joined(separator: ", ")
            source.reason = "\(reason): \(shown)\(candidates.count > 3 ? ", …" : "")"
            return source
        case .found(let found, _, let reason):
            path = found
            source.path = found
            source.reason = reason
        }
        let file: SourceFile
        do {
            file = try await self.file(path, mirrored: mirrored, reader: reader)
        } catch {
            source.status = .repositoryUnavailable
            source.reason = "could not read \(path): \(TraceEnricher.message(error))"
            return source
        }
        if file.isBinary {
            source.status = .binaryFile
            source.reason = "\(path) is a binary file"
            return source
        }
        guard let line = frame.line else {
            source.status = .lineOutOfRange
            source.reason = "the frame has no line number"
            return source
        }
        guard let snippet = snippets.snippet(of: file, line: line) else {
            source.status = .lineOutOfRange
            source.reason = "line \(line) is outside \(path), which has \(file.lines.count) lines at this commit"
            return source
        }
        // The runtime printed the line it ran (Python tracebacks do): the commit's line must be the same.
        if let printed = frame.context?.trimmingCharacters(in: .whitespaces), !printed.isEmpty {
            let committed = file.lines[line - 1].trimmingCharacters(in: .whitespaces)
            if printed != committed {
                source.status = .sourceMismatch
                source.reason = "the runtime printed \(TraceEnricher.quoted(printed)) at line \(line), but \(path) has \(TraceEnricher.quoted(committed)) there at this commit"
                return source
            }
        }
        source.status = .resolved
        source.snippet = snippet
        source.url = SnippetBuilder.permalink(repository: mirrored.repository, commit: sha, path: path, line: line)
        return source
    }

    private func file(_ path: String, mirrored: MirroredCommit, reader: MirrorReaderHandle) async throws -> SourceFile {
        let key = SourceKey(mirrorPath: mirrored.mirrorPath, commitSHA: mirrored.commitSHA, path: path, line: 0)
        if let cached = files.value(for: key) { return cached }
        let sha = mirrored.commitSHA
        let file = try await reader.reader.read { repository in
            let blob = try repository.blob(at: path, commit: sha)
            return SourceFile(path: path, text: blob.isBinary ? "" : blob.text, isBinary: blob.isBinary)
        }
        files.insert(file, for: key)
        return file
    }

    private func blame(path: String, line: Int, mirrored: MirroredCommit, reader: MirrorReaderHandle) async -> SuspectCommit? {
        let key = SourceKey(mirrorPath: mirrored.mirrorPath, commitSHA: mirrored.commitSHA, path: path, line: line)
        if let cached = blames.value(for: key) { return cached.suspect }
        let sha = mirrored.commitSHA
        let suspect: SuspectCommit? = try? await reader.reader.read { repository in
            guard let hunk = try repository.blame(path: path, commit: sha, lines: line...line).first else { return nil }
            return SuspectCommit(sha: hunk.commitSHA, authorName: hunk.authorName, authorEmail: hunk.authorEmail, authoredAt: hunk.authorTime, summary: hunk.summary, path: path, line: line)
        }
        blames.insert(BlameResult(suspect: suspect), for: key)
        return suspect
    }

    /// A line of code for a reason: quoted, and cut so a reason stays one short line.
    static func quoted(_ code: String) -> String {
        let limit = 120
        return code.count > limit ? "`\(code.prefix(limit))…`" : "`\(code)`"
    }

    private static func message(_ error: any Error) -> String {
        if let git = error as? GitError { return git.message }
        return GitError.redactCredentials(String(describing: error))
    }
}

private struct PreparedKey: Hashable, Sendable {
    var url: String
    var commit: String
}

private struct PreparedCommit: Sendable {
    var mirrored: MirroredCommit
    var reader: MirrorReaderHandle
}

/// A file (line 0) or a line at a commit of a mirror.
private struct SourceKey: Hashable, Sendable {
    var mirrorPath: String
    var commitSHA: String
    var path: String
    var line: Int
}

/// A cached blame, including "no result" so a failing blame is not retried on every trace.
private struct BlameResult: Sendable {
    var suspect: SuspectCommit?
}
