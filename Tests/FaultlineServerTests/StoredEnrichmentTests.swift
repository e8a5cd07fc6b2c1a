import FaultlineServer
import FaultlineStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A stored enrichment that no longer decodes is not shown, and is dropped so the worker redoes it.
@Suite("Stored enrichments")
struct StoredEnrichmentTests {
    @Test("an undecodable stored enrichment is answered without sources and queued again")
    func undecodableIsQueuedAgain() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let store = try StoreOpener.open(dataDirectory: directory.path)
        try await app.test(.router) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            let issue = try #require(try await client.issues().first)
            let pending = try #require(try await store.pendingEnrichments().first { $0.issueID == issue.id })
            try await store.saveEnrichment(IssueEnrichment(
                issueID: issue.id, eventID: pending.event.id, repositoryKey: nil, sources: Data(#"{"version": 99, "trace": {}}"#.utf8)
            ))
            #expect(try await !store.pendingEnrichments().contains { $0.issueID == issue.id })

            let detail = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self)
            #expect(detail.latestEvent?.frames.isEmpty == false)
            #expect(detail.latestEvent?.frames.allSatisfy { $0.source == nil } == true)
            #expect(try await store.enrichment(issueID: issue.id) == nil)
            #expect(try await store.pendingEnrichments().contains { $0.issueID == issue.id })
        }
    }
}
