import FaultlineCore
import FaultlineServer
import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The JSON API over payloads captured from the real ddtrace and OpenTelemetry Python libraries.
@Suite("Issue API")
struct IssueAPITests {
    @Test("captured tracer payloads become the expected issues")
    func capturedPayloads() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            try await client.send(fixture: "otel-python.pb", to: "/v1/traces", contentType: "application/x-protobuf")
            let issues = try await client.issues()
            #expect(Set(issues.map(\.errorType)) == ["ValueError", "__main__.PaymentDeclined", "__main__.OutOfStock"], "\(issues.map(\.errorType))")
            let value = try #require(issues.first { $0.errorType == "ValueError" })
            #expect(value.count == 3)
            #expect(value.service == "checkout")
            #expect(value.env == "prod")
            #expect(value.status == .open)
            #expect(value.versions == ["1.4.2"])
            let detail = try await client.getJSON("/api/v1/issues/\(value.id)", as: IssueDetailResponse.self)
            let event = try #require(detail.latestEvent)
            #expect(event.traceID.count >= 16)
            #expect(!event.spanID.isEmpty)
            #expect(event.git?.repositoryURL == "https://github.com/acme/checkout")
            #expect(event.git?.commitSHA == "89abcdef0123456789abcdef0123456789abcdef")
            #expect(event.frames.contains { $0.function == "checkout" })
            #expect(event.errorStack.contains("ValueError"))
            // The captured payload's spans are from 2026-11-24: whether the issue is still "new" depends
            // on today's date, so check the flag against the first-seen date rather than a constant.
            #expect(detail.isNew == (Date().timeIntervalSince(detail.issue.firstSeen) < FaultlineCore.Issue.newPeriod))

            let out = try #require(issues.first { $0.errorType == "__main__.OutOfStock" })
            #expect(out.count == 2)
            #expect(out.service == "inventory")
            #expect(out.env == "staging")
            let outDetail = try await client.getJSON("/api/v1/issues/\(out.id)", as: IssueDetailResponse.self)
            #expect(outDetail.latestEvent?.git?.repositoryURL == "https://github.com/acme/inventory")
            #expect(outDetail.latestEvent?.hostTags.values.contains("inv-host-1") == true)

            let events = try await client.getJSON("/api/v1/issues/\(value.id)/events?limit=10", as: EventPageResponse.self)
            #expect(events.events.count == 3)
            #expect(Set(events.events.map(\.traceID)).count == 3)
        }
    }

    @Test("each status change is applied and validated", arguments: IssueStatus.allCases)
    func statusChange(_ status: IssueStatus) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            let issue = try #require(try await client.issues().first { $0.errorType == "ValueError" })
            #expect(try await client.patchStatus(issue.id, status.rawValue) == .ok)
            let detail = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self)
            #expect(detail.issue.status == status)
            let filtered = try await client.issues(query: "status:\(status.rawValue)")
            #expect(filtered.contains { $0.id == issue.id })
        }
    }

    @Test("bad status changes are refused")
    func badStatusChanges() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            let issue = try #require(try await client.issues().first)
            #expect(try await client.patchStatus(issue.id, "done") == .badRequest)
            #expect(try await client.patchStatus(999_999, "resolved") == .notFound)
            try await client.execute(uri: "/api/v1/issues/\(issue.id)", method: .patch, headers: [.contentType: "application/json"], body: ByteBuffer(string: "status=resolved")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/issues/abc", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/issues/424242", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("a resolved issue seen again in a newer version regresses")
    func regression() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            let issue = try #require(try await client.issues().first { $0.errorType == "ValueError" })
            #expect(try await client.patchStatus(issue.id, "resolved") == .ok)
            try await client.send(fixture: "ddtrace-python-v05-version-1.5.0.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            let detail = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self)
            #expect(detail.issue.status == .open)
            #expect(detail.issue.isRegression)
            #expect(detail.issue.regressedInVersion == "1.5.0")
            #expect(detail.issue.count == 6)
            #expect(Set(detail.issue.versions) == ["1.4.2", "1.5.0"])
            #expect(detail.latestEvent?.git?.commitSHA == "fedcba9876543210fedcba9876543210fedcba98")
        }
    }

    @Test("a bad query is a 400 naming the position", arguments: [
        ("service:checkout bogus:1", 18),
        ("\"unterminated", 1),
    ])
    func badQuery(query: String, column: Int) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        var components = URLComponents()
        components.path = "/api/v1/issues"
        components.queryItems = [URLQueryItem(name: "q", value: query)]
        let uri = try #require(components.percentEncodedQuery.map { "/api/v1/issues?\($0)" })
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                let body = try JSONDecoder().decode(ErrorResponse.self, from: Data(buffer: response.body))
                #expect(body.position == column)
                #expect(body.error.contains("column \(column)"))
            }
        }
    }

    struct ErrorResponse: Decodable {
        var error: String
        var position: Int?
    }

    @Test("query parameters are validated", arguments: ["sort=loudest", "limit=0", "limit=5000", "from=yesterday", "order=up", "from=2026-02-01&to=2026-01-01", "hourly=maybe"])
    func badParameters(_ query: String) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/issues?\(query)", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("queries filter, sort and page")
    func queries() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            try await client.send(fixture: "otel-python.pb", to: "/v1/traces", contentType: "application/x-protobuf")
            #expect(try await client.issues(query: "service:checkout").map(\.errorType) == ["ValueError"])
            #expect(try await client.issues(query: "-env:prod").map(\.errorType) == ["__main__.OutOfStock"])
            #expect(try await client.issues(query: "\"out of stock\"").map(\.errorType) == ["__main__.OutOfStock"])
            #expect(try await client.issues(query: "error.type:*PaymentDeclined").map(\.errorType) == ["__main__.PaymentDeclined"])
            let byCount = try await client.issues(sort: "count")
            #expect(byCount.map(\.count) == byCount.map(\.count).sorted(by: >))
            let first = try await client.getJSON("/api/v1/issues?limit=1&sort=count", as: IssuePageResponse.self)
            #expect(first.issues.count == 1)
            let cursor = try #require(first.nextCursor)
            var components = URLComponents()
            components.queryItems = [URLQueryItem(name: "limit", value: "1"), URLQueryItem(name: "sort", value: "count"), URLQueryItem(name: "cursor", value: cursor)]
            let second = try await client.getJSON("/api/v1/issues?\(components.percentEncodedQuery ?? "")", as: IssuePageResponse.self)
            #expect(second.issues.count == 1)
            #expect(second.issues.first?.id != first.issues.first?.id)
            let facets = try await client.getJSON("/api/v1/facets", as: [String: [FacetValue]].self)
            #expect(Set(facets["service"]?.map(\.value) ?? []) == ["checkout", "payments", "inventory"])
            // Browsers and urlencode write a space as `+`; `%2B` stays a plus.
            let plus = try await client.getJSON("/api/v1/issues?q=service:checkout+-env:staging", as: IssuePageResponse.self)
            #expect(plus.issues.map(\.errorType) == ["ValueError"])
            let literal = try await client.getJSON("/api/v1/issues?q=service:checkout%2Bx", as: IssuePageResponse.self)
            #expect(literal.issues.isEmpty)

            // hourly=true: each issue of the page carries its hourly counts over the range, which add up to its events.
            struct HourlyPage: Decodable {
                struct Item: Decodable {
                    var id: Int64
                    var count: Int64
                    var errorType: String
                    var hourlyCounts: [HourlyCount]
                }
                var issues: [Item]
            }
            let hourly = try await client.getJSON("/api/v1/issues?hourly=true&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", as: HourlyPage.self)
            #expect(hourly.issues.count == byCount.count)
            for issue in hourly.issues {
                #expect(!issue.hourlyCounts.isEmpty)
                #expect(issue.hourlyCounts.map(\.count).reduce(0, +) == issue.count, "\(issue.errorType)")
                let detail = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self)
                #expect(detail.hourlyCounts == issue.hourlyCounts)
            }
            // Outside the range there is nothing to count.
            let none = try await client.getJSON("/api/v1/issues?hourly=true&from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z", as: HourlyPage.self)
            #expect(none.issues.allSatisfy { $0.hourlyCounts.isEmpty })
        }
    }

    @Test("export streams the same issues as JSON and NDJSON")
    func export() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            try await client.send(fixture: "otel-python.pb", to: "/v1/traces", contentType: "application/x-protobuf")
            let array = try await client.getJSON("/api/v1/export?format=json", as: [ExportedIssue].self)
            let ndjson = try await client.execute(uri: "/api/v1/export?format=ndjson", method: .get) { response in
                #expect(response.headers[.contentType] == "application/x-ndjson")
                return String(buffer: response.body)
            }
            let lines = try ndjson.split(separator: "\n").map { try JSONDecoder.test.decode(ExportedIssue.self, from: Data($0.utf8)) }
            #expect(array.count == 3)
            #expect(lines == array)
            #expect(array.allSatisfy { $0.latestEvent != nil && !$0.issue.fingerprint.isEmpty })
            let filtered = try await client.getJSON("/api/v1/export?q=service:inventory", as: [ExportedIssue].self)
            #expect(filtered.map(\.issue.service) == ["inventory"])
            try await client.execute(uri: "/api/v1/export?format=xml", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("API bearer token and intake key are enforced when configured")
    func authentication() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory) {
            $0.apiToken = "api-secret"
            $0.intakeAPIKey = "intake-secret"
        }
        let payload = ByteBuffer(bytes: try TestEnvironment.fixtureBytes("ddtrace-python-v05.msgpack"))
        let ddKey = HTTPField.Name("DD-API-KEY")!
        try await app.test(.router) { client in
            try await client.execute(uri: "/v0.5/traces", method: .put, headers: [.contentType: "application/msgpack"], body: payload) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v0.5/traces", method: .put, headers: [.contentType: "application/msgpack", ddKey: "wrong"], body: payload) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v0.5/traces", method: .put, headers: [.contentType: "application/msgpack", ddKey: "intake-secret"], body: payload) { #expect($0.status == .ok) }
            try await client.execute(uri: "/info", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/issues", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: [.authorization: "Bearer nope"]) { response in
                #expect(response.status == .unauthorized)
                #expect(!String(buffer: response.body).contains("api-secret"))
            }
            let page = try await client.getJSON("/api/v1/issues", as: IssuePageResponse.self, headers: [.authorization: "Bearer api-secret"])
            #expect(!page.issues.isEmpty)
        }
    }

    @Test("data survives a restart")
    func restart() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await TestServer.application(dataDirectory: directory)
        let before = try await first.test(.live) { client -> [FaultlineCore.Issue] in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            let issues = try await client.issues()
            #expect(try await client.patchStatus(issues[0].id, "acknowledged") == .ok)
            return try await client.issues()
        }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.live) { client in
            let after = try await client.issues()
            #expect(after == before)
            #expect(after.contains { $0.status == .acknowledged })
        }
    }
}

@Suite("Resent payloads")
struct ResentPayloadTests {
    /// ddtrace re-sends a payload it got no answer to in time: the same spans again, to this server or
    /// to the same server after a restart. Nothing may be counted twice.
    @Test("the same real ddtrace payload twice, across a restart, counts once")
    func resendAcrossRestart() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await TestServer.application(dataDirectory: directory)
        let before = try await first.test(.live) { client -> [FaultlineCore.Issue] in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            let once = try await client.issues()
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            #expect(try await client.issues() == once)
            return once
        }
        #expect(!before.isEmpty)
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.live) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            let after = try await client.issues()
            #expect(after.map(\.count) == before.map(\.count))
            #expect(after.map(\.lastSeen) == before.map(\.lastSeen))
            for issue in after {
                let detail = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self)
                #expect(detail.hourlyCounts.map(\.count).reduce(0, +) == issue.count)
            }
        }
    }

    /// A payload resent in part: the real ddtrace JSON payload's first 40 traces, then after a restart the
    /// whole payload, then its traces from the 4th on. Every error span counts once.
    @Test("a half-overlapping resend of a real ddtrace payload, across a restart, adds only what is new")
    func halfOverlappingResend() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reference = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: reference) }
        let whole = "../intake/ddtrace-v04/payload-ddtrace-json.json"
        // What the whole payload gives when sent once, into a store of its own.
        let expected = try await TestServer.application(dataDirectory: reference).test(.live) { client -> [FaultlineCore.Issue] in
            try await client.send(fixture: whole, to: "/v0.4/traces", contentType: "application/json")
            return try await client.issues()
        }
        // Three of its error spans become events (entry spans with a stack), two of them in the first 40 traces.
        #expect(expected.map(\.count).reduce(0, +) == 3)
        try await TestServer.application(dataDirectory: directory).test(.live) { client in
            try await client.send(fixture: "../intake/ddtrace-v04/payload-ddtrace-json-head.json", to: "/v0.4/traces", contentType: "application/json")
            #expect(try await client.issues().map(\.count).reduce(0, +) == 2)
        }
        try await TestServer.application(dataDirectory: directory).test(.live) { client in
            try await client.send(fixture: whole, to: "/v0.4/traces", contentType: "application/json")
            try await client.send(fixture: "../intake/ddtrace-v04/payload-ddtrace-json-tail.json", to: "/v0.4/traces", contentType: "application/json")
            let issues = try await client.issues()
            #expect(issues.map(\.count) == expected.map(\.count))
            #expect(issues.map(\.lastSeen) == expected.map(\.lastSeen))
            #expect(issues.map(\.firstSeen) == expected.map(\.firstSeen))
            for issue in issues {
                let detail = try await client.getJSON("/api/v1/issues/\(issue.id)", as: IssueDetailResponse.self)
                #expect(detail.hourlyCounts.map(\.count).reduce(0, +) == issue.count)
            }
        }
    }
}
