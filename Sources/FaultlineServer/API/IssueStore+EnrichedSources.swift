import FaultlineEnrichment
import FaultlineStore
import Foundation

extension IssueStore {
    /// The stored sources of a detail's latest event; nil when that event is not enriched yet
    /// (an enrichment of an older event may name another commit, so it is never shown).
    func enrichedSources(of detail: IssueDetail) async throws -> EnrichedTrace? {
        guard let event = detail.latestEvent,
              let stored = try await enrichment(issueID: detail.issue.id),
              stored.eventID == event.id
        else { return nil }
        return try? JSONDecoder().decode(EnrichedTrace.self, from: stored.sources)
    }
}
