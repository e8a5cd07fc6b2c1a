import FaultlineCore
import FaultlineStore
import Foundation
import Logging

/// The sources of any stored event, for the sample events a user steps through (not only the latest,
/// which the worker enriches and stores).
///
/// Enriched on first read from mirrors already present, then kept in memory. A read never clones or
/// fetches: when the mirror or the commit is missing, the frames say so and the mirror store brings it
/// in the background, and such a result is not kept, so a later read shows the code.
public final class EventSourceReader: Sendable {
    public let store: IssueStore
    public let enricher: TraceEnricher
    private let cache: LRUCache<Int64, EnrichedTrace>
    private let logger: Logger

    public init(store: IssueStore, enricher: TraceEnricher, capacity: Int = 2048, logger: Logger = Logger(label: "faultline.enrichment.read")) {
        self.store = store
        self.enricher = enricher
        cache = LRUCache(capacity: capacity)
        self.logger = logger
    }

    /// For each of one issue's `events`, one source per frame of every exception (its stack trace's shape).
    /// The issue's stored enrichment is read once, on the first event not in the cache.
    public func sources(of events: [StoredEvent], firstSeen: Date?) async -> [EnrichedTrace] {
        var stored: IssueEnrichment??
        var traces: [EnrichedTrace] = []
        traces.reserveCapacity(events.count)
        for event in events {
            if let cached = cache.value(for: event.id) {
                traces.append(cached)
                continue
            }
            if stored == nil { stored = .some(try? await store.enrichment(issueID: event.issueID)) }
            let trace = await sources(of: event, stored: stored ?? nil, firstSeen: firstSeen)
            // A result that may heal (repository down, commit not fetched yet) is computed again next time.
            if !EnrichmentWorker.mayHeal(trace) { cache.insert(trace, for: event.id) }
            traces.append(trace)
        }
        return traces
    }

    private func sources(of event: StoredEvent, stored: IssueEnrichment?, firstSeen: Date?) async -> EnrichedTrace {
        // The latest event's stored enrichment is the one the issue shows: use it, so both agree.
        if let stored, stored.eventID == event.id, let trace = try? EnrichedTraceCodec.decode(stored.sources),
           trace.exceptions.map(\.count) == event.event.stackTrace.exceptions.map(\.frames.count) {
            return trace
        }
        let target = await EnrichmentTarget.of(event.event.event, store: store, logger: logger)
        if let ref = target.unpinnedRef {
            // Resolving a branch means fetching it; the worker does that when it enriches the issue.
            return .everyFrame(
                of: event.event.stackTrace, .commitNotFound,
                "\(ref) is not pinned for version \(event.event.event.version ?? "(none)") yet; the worker pins it when it enriches the issue",
                repositoryURL: target.repository?.displayURL)
        }
        return await enricher.enrich(event.event.stackTrace, link: target.link, mappings: target.mappings, firstSeen: firstSeen, transfers: false)
    }
}
