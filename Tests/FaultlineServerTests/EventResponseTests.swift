import FaultlineCore
import FaultlineServer
import Foundation
import Testing

/// `EventResponse` wraps the domain event; its JSON stays the API's flat object.
@Suite struct EventResponseTests {
    static let event = ErrorEvent(
        traceID: "6b0621f300000000f6533183a29fbc09", spanID: "71360c970c1190c3", service: "checkout", env: "prod",
        version: "1.4.2", resource: "POST /checkout", operation: "web.request", startNanos: 1_764_000_000_000_000_000,
        durationNanos: 1500, errorType: "ValueError", errorMessage: "bad", errorStack: "Traceback …",
        language: "python", fingerprintOverride: "mine", spanTags: ["a": "b"], hostTags: ["host": "web-1"],
        metrics: ["m": 1], git: GitLink(repositoryURL: "https://github.com/acme/checkout", commitSHA: nil), origin: .otlp
    )

    @Test func encodesTheAPIKeysOnly() throws {
        let response = EventResponse(id: 3, issueID: 1, event: Self.event, stackTrace: StackTrace(language: .python, exceptions: [], raw: ""))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(response)) as? [String: Any])
        #expect(Set(object.keys) == [
            "id", "issueID", "traceID", "spanID", "service", "env", "version", "resource", "operation", "timestamp",
            "durationNanos", "errorType", "errorMessage", "errorStack", "language", "spanTags", "hostTags",
            "containerTags", "metrics", "git", "frames", "exceptions",
        ])
        #expect(object["timestamp"] as? String == "2025-11-24T16:00:00Z")
        #expect(response.traceID == Self.event.traceID)
        #expect(response.hostTags == ["host": "web-1"])
    }

    @Test func decodesWhatItEncodes() throws {
        let response = EventResponse(id: 3, issueID: 1, event: Self.event, stackTrace: StackTrace(language: .python, exceptions: [], raw: ""))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        // Sorted keys: dictionaries (tags, metrics) encode in hash order otherwise, which differs between instances.
        encoder.outputFormatting = [.sortedKeys]
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(EventResponse.self, from: encoder.encode(response))
        #expect(try encoder.encode(decoded) == encoder.encode(response))
        #expect(decoded.startNanos == Self.event.startNanos)
    }
}
