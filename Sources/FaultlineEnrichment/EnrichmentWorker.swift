import CoreMetrics
import FaultlineCore
import FaultlineStore
import Foundation
import Logging
import ServiceLifecycle

/// Enriches each issue's latest event in the background and stores the per-frame sources.
///
/// Run as a `Service` beside the HTTP server: woken after each committed ingest (``wake()``) and on a
/// timer. Issues are enriched in lanes, one per repository, so a slow or broken repository holds up
/// only its own issues, never other repositories or intake. Reading an issue never clones.
public final class EnrichmentWorker: Service, Sendable {
    /// How often and how widely the worker works.
    public struct Settings: Sendable {
        /// Wake at least this often, even without ingests (picks up links made by the CLI).
        public var pollInterval: Duration
        /// Repositories enriched at the same time.
        public var maxLanes: Int
        /// Pending issues read per pass.
        public var batchSize: Int

        /// How an enrichment that failed for a passing reason (repository unreachable, token wrong, commit
        /// not pushed yet) is retried: first after `retryInitial`, doubling up to `retryMax`, never after
        /// `giveUpAfter` of failing.
        public var retryInitial: TimeInterval
        public var retryMax: TimeInterval
        public var giveUpAfter: TimeInterval

        public init(
            pollInterval: Duration = .seconds(5), maxLanes: Int = 8, batchSize: Int = 100,
            retryInitial: TimeInterval = 30, retryMax: TimeInterval = 3600, giveUpAfter: TimeInterval = 86400
        ) {
            self.pollInterval = pollInterval
            self.maxLanes = max(1, maxLanes)
            self.batchSize = max(1, batchSize)
            self.retryInitial = max(0.1, retryInitial)
            self.retryMax = max(self.retryInitial, retryMax)
            self.giveUpAfter = giveUpAfter
        }

        /// When to try again after the `attempts`-th failure in a row that began at `failingSince`; nil to give up.
        public func retryDate(attempts: Int, failingSince: Date, now: Date) -> Date? {
            guard now.timeIntervalSince(failingSince) < giveUpAfter else { return nil }
            let delay = min(retryMax, retryInitial * pow(2, Double(max(0, min(attempts - 1, 40)))))
            return now.addingTimeInterval(delay)
        }
    }

    public let store: IssueStore
    public let enricher: TraceEnricher
    public let settings: Settings
    private let logger: Logger
    private let lanes = EnrichmentLanes()
    private let wakes: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    private let metrics: EnrichmentResultMetrics

    /// `metricsFactory` receives the results: frames by status, and stored, retried or failed enrichments.
    public init(
        store: IssueStore, enricher: TraceEnricher, settings: Settings = Settings(), logger: Logger = Logger(label: "faultline.enrichment"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.store = store
        self.enricher = enricher
        self.settings = settings
        self.logger = logger
        metrics = EnrichmentResultMetrics(factory: metricsFactory)
        (wakes, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass soon (after an ingest commits or a link changes). Never blocks.
    public func wake() {
        wakeContinuation.yield()
    }

    public func run() async throws {
        let continuation = wakeContinuation
        let interval = settings.pollInterval
        let timer = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield()
            }
        }
        defer { timer.cancel() }
        continuation.yield()
        await withGracefulShutdownHandler {
            for await _ in self.wakes {
                await self.schedule()
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }

    /// Starts a task for each pending issue whose repository lane is free.
    ///
    /// The tasks are unstructured on purpose: a clone blocked on a silent server must not hold up
    /// shutdown (it ends at its own timeout, or with the process).
    private func schedule() async {
        // `repos sync` (another process) asked for failed repositories to be tried at once.
        do {
            if await lanes.isNewSync(try await store.syncRequestedAt() ?? .distantPast) {
                await enricher.mirrors.forgetFailures()
            }
        } catch {
            logger.error("Reading the last sync request failed", metadata: ["error": "\(error)"])
        }
        let pending: [PendingEnrichment]
        do {
            pending = try await store.pendingEnrichments(limit: settings.batchSize, excluding: await lanes.busyIssues())
        } catch {
            logger.error("Reading pending enrichments failed", metadata: ["error": "\(error)"])
            return
        }
        for item in pending {
            let target = await self.target(for: item)
            guard await lanes.claim(issue: item.issueID, lane: target.lane, maxLanes: settings.maxLanes) else { continue }
            Task {
                await self.enrich(item, target: target)
                await self.lanes.release(issue: item.issueID, lane: target.lane)
                self.wake()
            }
        }
    }

    /// Enriches one issue's latest event and stores the result.
    func enrich(_ item: PendingEnrichment, target: EnrichmentTarget) async {
        let trace = item.event.event.stackTrace
        let enriched: EnrichedTrace
        switch await pinnedLink(target, event: item.event.event.event) {
        case .success(let link):
            enriched = await enricher.enrich(trace, link: link, mappings: target.mappings, firstSeen: item.firstSeen)
        case .failure(let error):
            enriched = .everyFrame(of: trace, error.frameStatus, error.reason, repositoryURL: target.repository?.displayURL)
        }
        // A failure that may pass by itself is tried again later, with backoff, until it heals or times out.
        let now = Date()
        var attempts = 0
        var failingSince: Date?
        var retryAt: Date?
        if Self.mayHeal(enriched), target.repository != nil {
            let previous = try? await store.enrichment(issueID: item.issueID)
            let sameRun = previous.flatMap { $0.eventID == item.event.id ? $0.failingSince : nil }
            attempts = (sameRun == nil ? 0 : previous?.attempts ?? 0) + 1
            failingSince = sameRun ?? now
            retryAt = settings.retryDate(attempts: attempts, failingSince: failingSince ?? now, now: now)
        }
        await recordStatus(of: target.repository, nextAttemptAt: retryAt)
        var saved = false
        do {
            let sources = try EnrichedTraceCodec.encode(enriched)
            try await store.saveEnrichment(IssueEnrichment(
                issueID: item.issueID, eventID: item.event.id, repositoryKey: target.repository?.key, sources: sources,
                enrichedAt: now, attempts: retryAt == nil ? 0 : attempts, failingSince: retryAt == nil ? nil : failingSince, retryAt: retryAt,
                culprit: Self.culprit(trace, enriched)))
            saved = true
            metrics.record(retryAt == nil ? .stored : .retryScheduled, trace: enriched)
            if retryAt == nil, let key = target.repository?.key, !Self.mayHeal(enriched),
               try await store.retryWaitingEnrichments(repositoryKey: key, now: now) > 0 {
                wake()
            }
            let resolved = enriched.exceptions.joined().filter { $0.status == .resolved }.count
            logger.debug("Issue enriched", metadata: [
                "issue.id": "\(item.issueID)", "event.id": "\(item.event.id)",
                "repo.url": "\(target.repository?.displayURL ?? "none")", "frames.resolved": "\(resolved)",
            ])
        } catch {
            logger.error("Storing an enrichment failed", metadata: ["issue.id": "\(item.issueID)", "error": "\(error)"])
            if !saved { metrics.record(.storeFailed, trace: nil) }
        }
    }

    /// The culprit by repository path: the top in-app frame of the reported exception (the frame ingest
    /// names), when it resolved; nil otherwise, leaving the runtime's path.
    static func culprit(_ trace: StackTrace, _ enriched: EnrichedTrace) -> String? {
        guard let frames = trace.exceptions.first?.frames, let index = frames.firstIndex(where: \.inApp),
              let source = enriched.exceptions.first.flatMap({ index < $0.count ? $0[index] : nil }),
              source.status == .resolved, let path = source.path
        else { return nil }
        return frames[index].function.map { "\(path) in \($0)" } ?? path
    }

    /// The target's link, its branch or tag resolved and pinned for the event's version the first time
    /// (then read back from the pin: a version is never re-resolved, whatever the branch does next).
    private func pinnedLink(_ target: EnrichmentTarget, event: ErrorEvent) async -> Result<GitLink?, MirrorError> {
        guard let ref = target.unpinnedRef, let repository = target.repository, var link = target.link else { return .success(target.link) }
        let sha: String
        do {
            sha = try await enricher.mirrors.resolveRef(repository, ref: ref)
        } catch {
            return .failure(error)
        }
        do {
            let pin = try await store.pinVersion(VersionPin(
                service: event.service, version: event.version, repositoryKey: repository.key, ref: ref, commitSHA: sha))
            link.commitSHA = pin.commitSHA
            logger.info("Version pinned", metadata: [
                "service": "\(event.service)", "version": "\(event.version ?? "none")", "ref": "\(ref)", "commit": "\(pin.commitSHA)",
            ])
            return .success(link)
        } catch {
            logger.error("Storing a version pin failed", metadata: ["error": "\(error)"])
            return .failure(MirrorError(kind: .unavailable, reason: "the pin of \(ref) could not be stored"))
        }
    }

    /// Whether frames failed for a reason that can pass without anyone changing Faultline: the repository
    /// was unreachable (network, token) or the commit is not there yet (not pushed when the error came).
    static func mayHeal(_ enriched: EnrichedTrace) -> Bool {
        enriched.exceptions.joined().contains { $0.status == .repositoryUnavailable || $0.status == .commitNotFound }
    }

    /// Copies the mirror's state into the store, for `repos list` and the API, with the next retry if any.
    private func recordStatus(of repository: RepositoryURL?, nextAttemptAt: Date?) async {
        guard let repository, let status = await enricher.mirrors.status(of: repository) else { return }
        let state = status.state
        let record = RepositoryStatusRecord(
            repositoryKey: repository.key, repositoryURL: repository.displayURL, state: state,
            lastError: status.reason, lastFetchAt: state == .mirrored ? status.updatedAt : nil, updatedAt: status.updatedAt,
            nextAttemptAt: nextAttemptAt
        )
        do {
            try await store.recordRepositoryStatus(record)
        } catch {
            logger.error("Storing a repository status failed", metadata: ["repo.url": "\(repository.displayURL)", "error": "\(error)"])
        }
    }

    /// What a pending issue's latest event is enriched against.
    func target(for item: PendingEnrichment) async -> EnrichmentTarget {
        await EnrichmentTarget.of(item.event.event.event, store: store, logger: logger)
    }
}

extension EnrichmentTarget {
    /// The Git link of an event: its own tags first, else the service's manual link (whose `ref`
    /// stands in for a commit only when the event names none). Mappings come from the manual link.
    static func of(_ event: ErrorEvent, store: IssueStore, logger: Logger) async -> EnrichmentTarget {
        let manual: RepositoryLink?
        do {
            manual = try await store.repositoryLink(service: event.service, version: event.version)
        } catch {
            logger.error("Reading a repository link failed", metadata: ["error": "\(error)"])
            manual = nil
        }
        let tagged = event.git.flatMap { $0.repositoryURL.isEmpty ? nil : $0 }
        var link: GitLink?
        var mappings: [PathMapping] = []
        var unpinnedRef: String?
        if let tagged {
            link = tagged
            if let manual, (try? RepositoryURL(tagged.repositoryURL))?.key == manual.repositoryKey {
                mappings = manual.mappings
            }
        } else if let manual {
            var commit = event.git?.commitSHA.flatMap { $0.isEmpty ? nil : $0 }
            if commit == nil, let ref = manual.ref {
                if Self.isCommitID(ref) {
                    commit = ref
                } else {
                    // A branch or tag: the commit it named when this version was first enriched.
                    do {
                        let pin = try await store.versionPin(service: event.service, version: event.version, repositoryKey: manual.repositoryKey, ref: ref)
                        commit = pin?.commitSHA
                    } catch {
                        logger.error("Reading a version pin failed", metadata: ["error": "\(error)"])
                    }
                    unpinnedRef = commit == nil ? ref : nil
                }
            }
            link = GitLink(repositoryURL: manual.repositoryURL, commitSHA: commit)
            mappings = manual.mappings
        }
        let repository = link.flatMap { try? RepositoryURL($0.repositoryURL) }
        return EnrichmentTarget(link: link, mappings: mappings, repository: repository, unpinnedRef: unpinnedRef)
    }

    /// A link's `ref` that is a commit id (7 to 40 hex digits) rather than a branch or tag name.
    static func isCommitID(_ ref: String) -> Bool {
        (7...40).contains(ref.utf8.count) && ref.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
    }
}

/// What one issue is enriched against.
struct EnrichmentTarget: Sendable {
    var link: GitLink?
    var mappings: [PathMapping]
    var repository: RepositoryURL?
    /// The link's branch or tag when the event's version has no pinned commit yet (the worker pins it).
    var unpinnedRef: String?

    /// Issues of one repository run one at a time; those without a repository share a lane.
    var lane: String { repository?.key ?? "" }
}

/// Which issues and repository lanes are being worked on.
actor EnrichmentLanes {
    private var issues: Set<Int64> = []
    private var busy: Set<String> = []
    private var lastSync: Date?

    /// Whether `requested` is a sync request not seen yet (the first one read is the baseline).
    func isNewSync(_ requested: Date) -> Bool {
        defer { lastSync = requested }
        guard let lastSync else { return false }
        return requested > lastSync
    }

    func busyIssues() -> Set<Int64> { issues }

    /// Takes the lane for an issue, unless the lane is busy or every lane is taken.
    func claim(issue: Int64, lane: String, maxLanes: Int) -> Bool {
        guard !issues.contains(issue), !busy.contains(lane), busy.count < maxLanes else { return false }
        issues.insert(issue)
        busy.insert(lane)
        return true
    }

    func release(issue: Int64, lane: String) {
        issues.remove(issue)
        busy.remove(lane)
    }
}
