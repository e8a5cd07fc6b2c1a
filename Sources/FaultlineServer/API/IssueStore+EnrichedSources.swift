import FaultlineEnrichment
import FaultlineStore
import Foundation
import Logging

extension IssueStore {
    /// Reads of stored enrichments that fail are reported here; the repository protocol carries no logger.
    static let enrichmentReadLogger = Logger(label: "faultline.api.enrichment")

    /// The stored sources of a detail's latest event; nil when that event is not enriched yet
    /// (an enrichment of an older event may name another commit, so it is never shown).
    /// A stored value that does not decode, or whose shape is not the event's frames, is logged and
    /// dropped, so the worker enriches the event again; the detail is shown without sources meanwhile.
    func enrichedSources(of detail: IssueDetail) async throws -> EnrichedTrace? {
        guard let event = detail.latestEvent,
              let stored = try await enrichment(issueID: detail.issue.id),
              stored.eventID == event.id
        else { return nil }
        let reason: String
        do {
            let sources = try EnrichedTraceCodec.decode(stored.sources)
            // One source per frame of every exception: anything else is a defect to repair, not to hide.
            if sources.exceptions.map(\.count) == event.event.stackTrace.exceptions.map(\.frames.count) {
                return sources
            }
            reason = "stored sources do not match the event's frames"
        } catch {
            reason = error.reason
        }
        Self.enrichmentReadLogger.warning(
            "Stored enrichment is unusable; queued for enrichment again",
            metadata: ["issue.id": "\(detail.issue.id)", "event.id": "\(event.id)", "error.reason": "\(reason)"]
        )
        if !configuration.readOnly {
            try await invalidateEnrichment(issueID: detail.issue.id)
        }
        return nil
    }
}
