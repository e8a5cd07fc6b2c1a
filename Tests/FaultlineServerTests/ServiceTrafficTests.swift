import FaultlineCore
import FaultlineServer
import FaultlineStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every service entry span counts, error or not: versions, error rates and new issues per version in
/// `GET /api/v1/services` and `faultline services list`, and versions seen only in clean traffic let
/// auto-resolution close issues of older versions.
@Suite("Service traffic")
struct ServiceTrafficTests {
    static let traceback = """
        Traceback (most recent call last):
          File "/app/shop/views.py", line 12, in checkout
            total = parse_quantity(request)
          File "/app/shop/cart.py", line 30, in parse_quantity
            return int(value)
        ValueError: invalid literal for int() with base 10: 'x'
        """

    /// A v0.4 JSON chunk of one request: an entry span of `service`, with a child span.
    static func chunk(trace: Int, version: String, error: Bool, at start: Date) -> [[String: Any]] {
        var meta: [String: String] = ["env": "prod", "version": version, "span.kind": "server"]
        if error {
            meta["error.type"] = "builtins.ValueError"
            meta["error.message"] = "invalid literal for int() with base 10: 'x'"
            meta["error.stack"] = traceback
        }
        let nanos = Int64(start.timeIntervalSince1970 * 1e9)
        return [
            ["trace_id": trace, "span_id": trace * 10, "parent_id": 0, "service": "shop", "name": "flask.request", "resource": "POST /checkout",
             "start": nanos, "duration": 1_000_000, "error": error ? 1 : 0, "meta": meta, "metrics": ["_dd.top_level": 1]],
            ["trace_id": trace, "span_id": trace * 10 + 1, "parent_id": trace * 10, "service": "shop", "name": "flask.view", "resource": "checkout",
             "start": nanos + 1000, "duration": 900_000, "error": 0, "meta": ["env": "prod", "version": version], "metrics": [:]],
        ]
    }

    @Test("entry spans of every version are counted; a version seen only in clean traffic resolves older issues")
    func cleanVersionsCountAndResolve() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = TestServer.configuration(dataDirectory: directory)
        let store = try await StoreOpener.open(configuration: configuration)
        let app = Application(router: buildRouter(configuration, store: store))
        let now = Date()
        let released = now.addingTimeInterval(-20 * 86400)
        let fixed = now.addingTimeInterval(-19 * 86400)
        // 1.0.0: three requests, one fails. 1.1.0 (a day later): two requests, none fails.
        let traces = [
            Self.chunk(trace: 1, version: "1.0.0", error: false, at: released),
            Self.chunk(trace: 2, version: "1.0.0", error: true, at: released.addingTimeInterval(60)),
            Self.chunk(trace: 3, version: "1.0.0", error: false, at: released.addingTimeInterval(120)),
            Self.chunk(trace: 4, version: "1.1.0", error: false, at: fixed),
            Self.chunk(trace: 5, version: "1.1.0", error: false, at: fixed.addingTimeInterval(60)),
        ]
        let body = try JSONSerialization.data(withJSONObject: traces)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v0.4/traces", method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .ok)
            }
            let services = try await client.getJSON("/api/v1/services", as: ServiceListResponse.self)
            let shop = try #require(services.services.first { $0.service == "shop" })
            #expect(shop.env == "prod")
            #expect(shop.versions.map(\.version) == ["1.1.0", "1.0.0"])
            let newer = shop.versions[0]
            let older = shop.versions[1]
            #expect(newer.entrySpans == 2 && newer.errorSpans == 0 && newer.errorRate == 0 && newer.newIssues == 0)
            #expect(older.entrySpans == 3 && older.errorSpans == 1 && older.newIssues == 1)
            #expect(abs(older.errorRate - 1.0 / 3.0) < 1e-9)
            #expect(older.hourly.map(\.entrySpans).reduce(0, +) == 3)
            // Only the entry spans count, not their children.
            #expect(services.services.count == 1)
        }
        // The issue of 1.0.0 was last seen 20 days ago and 1.1.0 ran clean since: auto-resolve closes it.
        #expect(try await store.autoResolve(now: now) == 1)
        let issue = try #require(try await store.issues(IssueListRequest()).issues.first)
        #expect(issue.status == .resolved && issue.resolvedInVersion == "1.0.0")
    }

    @Test("a bad from is a 400")
    func badFrom() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/services?from=yesterday", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
