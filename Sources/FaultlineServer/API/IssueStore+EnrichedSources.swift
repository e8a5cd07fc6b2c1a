import FaultlineEnrichment
import FaultlineStore
import Foundation
import Logging

extension IssueStore {
    /// Reads of stored enrichments that fail are reported here; the repository protocol carries no logger.
    static let enrichmentReadLogger = Logger(label: "faultline.api.enrichment")

    /// The stored sources of a detail's latest event; nil when that event is not enriched yet
    /// (an enrichment of an older event may name another commit, so it is never shown).
    /// A stored value that does not decode is logged and dropped, so the worker enriches the event
    /// again; the detail is shown without sources meanwhile.
    func enrichedSources(of detail: IssueDetail) async throws -> EnrichedTrace? {
        guard let event = detail.latestEvent,
              let stored = try await enrichment(issueID: detail.issue.id),
              stored.eventID == event.id
        else { return nil }
        do {
            return try EnrichedTraceCodec.decode(stored.sources)
        } catch {
            Self.enrichmentReadLogger.warning(
                "Stored enrichment does not decode; queued for enrichment again",
                metadata: ["issue.id": "\(detail.issue.id)", "event.id": "\(event.id)", "error.reason": "\(error.reason)"]
            )
            if !configuration.readOnly {
                try await invalidateEnrichment(issueID: detail.issue.id)
            }
            return nil
        }
    }
}
