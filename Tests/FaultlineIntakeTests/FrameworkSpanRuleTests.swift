import FaultlineCore
import FaultlineIntake
import Testing

/// The entry-span rule on the span shapes real framework integrations send: request spans that only mark
/// `error = 1` while their view spans carry the exception (ddtrace's Flask and Django), integration spans
/// named after a database or client library, and one exception recorded on several nested spans.
@Suite struct FrameworkSpanRuleTests {
    static let viewError = ["error.type": "builtins.ValueError", "error.message": "bad amount 1", "error.stack": pythonStack]
    static let sqliteError = ["error.type": "sqlite3.OperationalError", "error.message": "no such table: t", "error.stack": pythonStack]
    static let request = ["span.kind": "server", "http.route": "/boom/<int:n>", "env": "prod", "version": "1.0"]

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var spans: [MessagePack]
        var entrySpansOnly = true
        /// (service, error type, span id of the event, span id the error came from) of each event.
        var events: [Expected]
        var notEntry: Int
    }

    struct Expected: Sendable, Equatable {
        var service: String
        var type: String
        var spanID: UInt64
        var errorSpanID: UInt64?
    }

    static let cases: [Case] = [
        Case(testDescription: "Flask: the request span marks error, the dispatch and handler spans below carry it", spans: [
            v04Span(service: "shop", name: "flask.request", resource: "GET /boom/<int:n>", spanID: 1, error: 1, meta: request),
            v04Span(service: "shop", name: "flask.application", spanID: 2, parentID: 1),
            v04Span(service: "shop", name: "flask.dispatch_request", spanID: 3, parentID: 2, error: 1, meta: viewError),
            v04Span(service: "shop", name: "__main__.boom", spanID: 4, parentID: 3, error: 1, meta: viewError),
            v04Span(service: "shop", name: "flask.handle_user_exception", spanID: 5, parentID: 2, error: 1, meta: viewError),
        ], events: [Expected(service: "shop", type: "builtins.ValueError", spanID: 1, errorSpanID: 3)], notEntry: 3),
        Case(testDescription: "Django: a database error inside the view, the sqlite span marked top-level", spans: [
            v04Span(service: "shop", name: "django.request", spanID: 1, error: 1, meta: request),
            v04Span(service: "shop", name: "django.view", spanID: 2, parentID: 1, error: 1, meta: sqliteError),
            v04Span(service: "sqlite", name: "sqlite.query", spanID: 3, parentID: 2, error: 1,
                    meta: sqliteError.merging(["_dd.base_service": "shop", "span.kind": "client"]) { $1 }, metrics: ["_dd.top_level": 1]),
        ], events: [Expected(service: "shop", type: "sqlite3.OperationalError", spanID: 1, errorSpanID: 2)], notEntry: 2),
        Case(testDescription: "the only error below is an integration span's", spans: [
            v04Span(service: "shop", name: "flask.request", spanID: 1, error: 1, meta: request),
            v04Span(service: "redis", name: "redis.command", spanID: 2, parentID: 1, error: 1,
                    meta: sqliteError.merging(["_dd.base_service": "shop", "_dd.svc_src": "redis", "component": "redis"]) { $1 }, metrics: ["_dd.top_level": 1]),
        ], events: [Expected(service: "shop", type: "sqlite3.OperationalError", spanID: 1, errorSpanID: 2)], notEntry: 1),
        Case(testDescription: "a service the user named on a span below is an entry of that service", spans: [
            v04Span(service: "shop", name: "web.request", spanID: 1, meta: request),
            v04Span(service: "payments", name: "payments.charge", spanID: 2, parentID: 1, error: 1,
                    meta: viewError.merging(["_dd.base_service": "shop", "_dd.svc_src": "m"]) { $1 }, metrics: ["_dd.top_level": 1]),
        ], events: [Expected(service: "payments", type: "builtins.ValueError", spanID: 2, errorSpanID: nil)], notEntry: 0),
        Case(testDescription: "a handled error in a child while the request succeeds stays untracked", spans: [
            v04Span(service: "shop", name: "flask.request", spanID: 1, meta: request),
            v04Span(service: "shop", name: "flask.dispatch_request", spanID: 2, parentID: 1, error: 1, meta: viewError),
            v04Span(service: "sqlite", name: "sqlite.query", spanID: 3, parentID: 2, error: 1,
                    meta: sqliteError.merging(["_dd.base_service": "shop", "span.kind": "client"]) { $1 }, metrics: ["_dd.top_level": 1]),
        ], events: [], notEntry: 2),
        Case(testDescription: "a request marked error with no error anywhere below stays untracked", spans: [
            v04Span(service: "shop", name: "flask.request", spanID: 1, error: 1, meta: request),
            v04Span(service: "shop", name: "flask.application", spanID: 2, parentID: 1),
        ], events: [], notEntry: 0),
        Case(testDescription: "another service's error below is its own entry, not the request's", spans: [
            v04Span(service: "shop", name: "flask.request", spanID: 1, error: 1, meta: request),
            v04Span(service: "billing", name: "grpc.server", spanID: 2, parentID: 1, error: 1, meta: viewError),
        ], events: [Expected(service: "billing", type: "builtins.ValueError", spanID: 2, errorSpanID: nil)], notEntry: 0),
        Case(testDescription: "the request span's own stack wins over its children's", spans: [
            v04Span(service: "shop", name: "express.request", spanID: 1, error: 1, meta: sqliteError),
            v04Span(service: "shop", name: "express.middleware", spanID: 2, parentID: 1, error: 1, meta: viewError),
        ], events: [Expected(service: "shop", type: "sqlite3.OperationalError", spanID: 1, errorSpanID: nil)], notEntry: 1),
        Case(testDescription: "a root client span is its application's entry", spans: [
            v04Span(service: "requests", name: "requests.request", spanID: 1, error: 1,
                    meta: viewError.merging(["_dd.base_service": "worker", "span.kind": "client"]) { $1 }),
        ], events: [Expected(service: "worker", type: "builtins.ValueError", spanID: 1, errorSpanID: nil)], notEntry: 0),
        Case(testDescription: "every error span: one exception on three nested spans is one event, the deepest", spans: [
            v04Span(service: "shop", name: "flask.request", spanID: 1, error: 1, meta: request),
            v04Span(service: "shop", name: "flask.dispatch_request", spanID: 2, parentID: 1, error: 1, meta: viewError),
            v04Span(service: "shop", name: "__main__.boom", spanID: 3, parentID: 2, error: 1, meta: viewError),
            v04Span(service: "shop", name: "flask.handle_user_exception", spanID: 4, parentID: 1, error: 1, meta: viewError),
        ], entrySpansOnly: false, events: [
            Expected(service: "shop", type: "builtins.ValueError", spanID: 3, errorSpanID: nil),
        ], notEntry: 2),
        Case(testDescription: "every error span: the database call's error belongs to the application's service", spans: [
            v04Span(service: "shop", name: "flask.request", spanID: 1, error: 1, meta: request),
            v04Span(service: "shop", name: "flask.dispatch_request", spanID: 2, parentID: 1, error: 1, meta: sqliteError),
            v04Span(service: "sqlite", name: "sqlite.query", spanID: 3, parentID: 2, error: 1,
                    meta: sqliteError.merging(["span.kind": "client"]) { $1 }),
        ], entrySpansOnly: false, events: [
            Expected(service: "shop", type: "sqlite3.OperationalError", spanID: 3, errorSpanID: nil),
        ], notEntry: 1),
        Case(testDescription: "every error span: two different errors in one request are two events", spans: [
            v04Span(service: "shop", name: "flask.request", spanID: 1, error: 1, meta: request),
            v04Span(service: "shop", name: "flask.dispatch_request", spanID: 2, parentID: 1, error: 1, meta: viewError),
            v04Span(service: "shop", name: "cache.get", spanID: 3, parentID: 2, error: 1, meta: sqliteError),
        ], entrySpansOnly: false, events: [
            Expected(service: "shop", type: "builtins.ValueError", spanID: 2, errorSpanID: nil),
            Expected(service: "shop", type: "sqlite3.OperationalError", spanID: 3, errorSpanID: nil),
        ], notEntry: 0),
    ]

    @Test(arguments: cases)
    func frameworkShapes(_ example: Case) throws {
        let body = MessagePack.array([.array(example.spans)]).bytes
        let batch = try DatadogIntake(options: IntakeOptions(entrySpansOnly: example.entrySpansOnly)).decode(body, format: .v04, contentType: nil)
        let got = batch.events.map {
            Expected(service: $0.service, type: $0.errorType, spanID: UInt64($0.spanID, radix: 16) ?? 0,
                     errorSpanID: $0.errorSpan.flatMap { UInt64($0.spanID, radix: 16) })
        }
        #expect(got == example.events)
        #expect(batch.stats.skippedNotEntry == example.notEntry)
        let counted = batch.stats.errorEvents + batch.stats.skippedNotEntry + batch.stats.skippedNoError
            + batch.stats.skippedNoStack + batch.stats.skippedMalformed
        #expect(counted == example.spans.count, "every span lands in one counter")
    }

    @Test func eventKeepsTheRequestsIdentityAndTheChildsError() throws {
        let body = MessagePack.array([.array([
            v04Span(service: "shop", name: "flask.request", resource: "GET /boom/<int:n>", spanID: 1, error: 1, meta: Self.request),
            v04Span(service: "shop", name: "flask.dispatch_request", resource: "flask.dispatch_request", spanID: 2, parentID: 1, error: 1,
                    meta: Self.viewError.merging(["error.fingerprint": "from-child"]) { $1 }),
        ])]).bytes
        let event = try #require(try DatadogIntake().decode(body, format: .v04, contentType: nil).events.first)
        #expect(event.resource == "GET /boom/<int:n>")
        #expect(event.operation == "flask.request")
        #expect(event.spanID == "0000000000000001")
        #expect(event.env == "prod" && event.version == "1.0")
        #expect(event.errorMessage == "bad amount 1" && event.errorStack == pythonStack)
        #expect(event.fingerprintOverride == "from-child")
        #expect(event.spanTags["http.route"] == "/boom/<int:n>")
        #expect(event.errorSpan == ErrorEvent.ErrorSpan(spanID: "0000000000000002", operation: "flask.dispatch_request", resource: "flask.dispatch_request", service: "shop"))
    }

    /// A chunk of many request spans that only mark errors, over a long chain: each span is searched once.
    @Test func manyErrorMarkingEntriesOverOneChainStayLinear() throws {
        var spans: [MessagePack] = []
        for id in 1...2_000 as ClosedRange<UInt64> {
            spans.append(v04Span(service: id % 2 == 0 ? "a" : "b", spanID: id, parentID: id - 1, error: 1, meta: Self.request))
        }
        let batch = try DatadogIntake().decode(MessagePack.array([.array(spans)]).bytes, format: .v04, contentType: nil)
        #expect(batch.events.isEmpty)
        #expect(batch.stats.skippedNoStack == 2_000)
    }
}
