import FaultlineCore
import FaultlineMonitors
import FaultlineStore
import Foundation

/// What notifications say about an issue, read as the API reads it: the issue object of
/// `GET /api/v1/issues/{id}` and the top in-app frame of its latest event with the enriched code.
struct StoreNotificationFacts: NotificationFactsSource {
    let store: IssueStore
    /// Without the enrichment worker nothing will ever be attached: never wait.
    let enrichmentEnabled: Bool
    let publicURL: String?

    func facts(issueID: Int64) async throws -> NotificationFacts? {
        guard let detail = try await store.issue(id: issueID) else { return nil }
        let sources = try await store.enrichedSources(of: detail)
        let response = IssueDetailResponse(detail: detail, sources: sources)
        return NotificationFacts(
            issue: response.issue,
            topFrame: Self.topFrame(response.latestEvent),
            enrichmentPending: enrichmentEnabled && detail.latestEvent != nil && sources == nil,
            url: publicURL.map { "\($0)/#/issues/\(issueID)" }
        )
    }

    /// The first in-app frame of the reported exception (the first frame when none is in-app), with the
    /// line of code at the deployed commit when it resolved.
    static func topFrame(_ event: EventResponse?) -> TopFrame? {
        guard let frames = event?.exceptions.first?.frames, let frame = frames.first(where: \.inApp) ?? frames.first else { return nil }
        let source = frame.source
        let resolved = source?.status == .resolved
        return TopFrame(
            path: (resolved ? source?.path : nil) ?? frame.file,
            line: (resolved ? source?.line : nil) ?? frame.line,
            function: frame.function,
            code: resolved ? source?.snippet.first(where: \.highlight)?.text : nil,
            permalink: resolved ? source?.url : nil
        )
    }
}
