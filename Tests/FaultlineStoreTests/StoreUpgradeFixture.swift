import FaultlineCore
import FaultlineStore
import Foundation

/// The store written by `scripts/fixtures/store/make-upgrade-fixture.sh` with the schema of the time
/// (Tests/Fixtures/store/v5-store.sqlite, read by ``StoreUpgradeTests``): a few issues with every kind of
/// row — events incl. a chained exception, status changes, an enrichment, a repository link and status,
/// a version pin. Everything here is deterministic (no UUIDs, no clock), so the test can rebuild the
/// events it expects to read back.
enum StoreUpgradeFixture {
    /// The fixed "now" of every read, so that `isNew` and friends do not drift.
    static let now = Date(timeIntervalSince1970: 1_790_100_000)
    static let epoch = Date(timeIntervalSince1970: 1_790_000_000)

    static let javaTrace = """
        java.lang.IllegalStateException: order 7 cannot be shipped
        \tat com.acme.shop.Shipping.ship(Shipping.java:41)
        \tat com.acme.shop.OrderController.post(OrderController.java:18)
        Caused by: java.io.IOException: carrier timeout
        \tat com.acme.shop.Carrier.book(Carrier.java:77)
        \t... 2 more
        """

    static let javaStackTrace = StackTrace(
        language: .jvm,
        exceptions: [
            ExceptionTrace(type: "java.lang.IllegalStateException", message: "order 7 cannot be shipped", frames: [
                Frame(function: "ship", module: "com.acme.shop.Shipping", file: "Shipping.java", line: 41, inApp: true),
                Frame(function: "post", module: "com.acme.shop.OrderController", file: "OrderController.java", line: 18, inApp: true),
            ]),
            ExceptionTrace(type: "java.io.IOException", message: "carrier timeout", frames: [
                Frame(function: "book", module: "com.acme.shop.Carrier", file: "Carrier.java", line: 77, column: 3, inApp: false),
            ], relation: .cause),
        ],
        raw: javaTrace,
        warnings: ["2 frames elided by the runtime"]
    )

    /// One error event; `index` makes its span ids and time.
    static func event(
        index: Int, service: String, env: String?, version: String?, type: String, message: String,
        stack: String, trace: StackTrace, host: String?, container: String?, fingerprint: String
    ) -> GroupedEvent {
        let spanID = String(format: "%016llx", UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15)
        let error = ErrorEvent(
            traceID: String(format: "%032llx", UInt64(index + 1) &* 31),
            spanID: spanID,
            service: service,
            env: env,
            version: version,
            resource: index % 2 == 0 ? "POST /checkout" : nil,
            operation: "web.request",
            startNanos: Int64(epoch.timeIntervalSince1970 + Double(index) * 600) * 1_000_000_000 + Int64(index) * 1_234,
            durationNanos: 12_000_000 + Int64(index),
            errorType: type,
            errorMessage: message,
            errorStack: stack,
            language: trace.language == .unknown ? nil : trace.language.rawValue,
            fingerprintOverride: index == 7 ? "custom-fp" : nil,
            spanTags: ["http.method": "POST", "http.route": "/checkout", "quote\"and\\slash": "line\nbreak\tand \u{1}"],
            hostTags: host.map { ["host": $0, "os.type": "linux"] } ?? [:],
            containerTags: container.map { ["container_id": $0] } ?? [:],
            metrics: ["_dd.top_level": 1, "process_id": Double(4000 + index), "ratio": 0.125],
            git: index == 6 ? nil : GitLink(repositoryURL: "https://github.com/acme/shop", commitSHA: index == 5 ? nil : "0123456789abcdef0123456789abcdef01234567"),
            origin: index == 6 ? .otlp : .datadog,
            errorSpan: index == 3 ? ErrorEvent.ErrorSpan(spanID: "00000000000000aa", operation: "db.query", resource: nil, service: "checkout-db") : nil
        )
        let parts = ["type:\(type)", "fingerprint:\(fingerprint)"]
        return GroupedEvent(
            event: error,
            stackTrace: trace,
            normalizedMessage: message.replacingOccurrences(of: "7", with: "<num>"),
            fingerprint: Fingerprint(value: fingerprint, version: 1, parts: parts, overridden: index == 7)
        )
    }

    static let pythonStack = """
        Traceback (most recent call last):
          File "/app/shop/checkout.py", line 6, in checkout
            cart = load_cart(carts, user_id)
          File "/app/shop/checkout.py", line 2, in load_cart
            return carts[user_id]
        KeyError: 'user-42'
        """

    static let pythonTrace = StackTrace(
        language: .python,
        exceptions: [ExceptionTrace(type: "KeyError", message: "'user-42'", frames: [
            Frame(function: "load_cart", module: "shop.checkout", file: "/app/shop/checkout.py", line: 2, inApp: true, context: "return carts[user_id]"),
            Frame(function: "checkout", module: "shop.checkout", file: "/app/shop/checkout.py", line: 6, inApp: true, context: "cart = load_cart(carts, user_id)"),
        ])],
        raw: pythonStack
    )

    /// The batches ingested, in order, with the time each was received.
    static func batches() -> [(events: [GroupedEvent], receivedAt: Date)] {
        func python(_ index: Int, version: String, host: String) -> GroupedEvent {
            event(index: index, service: "checkout", env: "prod", version: version, type: "KeyError", message: "'user-42'",
                  stack: pythonStack, trace: pythonTrace, host: host, container: "c0ffee\(index % 2)", fingerprint: "fp-python-keyerror")
        }
        func java(_ index: Int) -> GroupedEvent {
            event(index: index, service: "orders", env: nil, version: "2.0.\(index)", type: "java.lang.IllegalStateException",
                  message: "order 7 cannot be shipped", stack: javaTrace, trace: javaStackTrace, host: "jvm-1", container: nil,
                  fingerprint: "fp-java-chain")
        }
        // Raw trace differs from the span's error.stack (the intake trimmed it): stored apart.
        var trimmed = java(3)
        trimmed.stackTrace.raw = String(javaTrace.prefix(80))
        let unknown = event(index: 6, service: "worker", env: "staging", version: nil, type: "Panic", message: "unparsed 7",
                            stack: "something went wrong\nno frames here", trace: StackTrace(language: .unknown, raw: "something went wrong\nno frames here"),
                            host: nil, container: nil, fingerprint: "fp-unknown")
        let overridden = event(index: 7, service: "worker", env: "staging", version: nil, type: "Panic", message: "custom",
                               stack: "x", trace: StackTrace(language: .unknown, raw: "x"), host: nil, container: nil, fingerprint: "custom-fp")
        return [
            ([python(0, version: "1.0.0", host: "web-1"), python(1, version: "1.0.0", host: "web-2"), java(2)], epoch.addingTimeInterval(3600)),
            ([python(4, version: "1.1.0", host: "web-1"), trimmed, unknown], epoch.addingTimeInterval(7200)),
            ([python(5, version: "1.2.0", host: "web-3"), overridden], epoch.addingTimeInterval(10800)),
        ]
    }

    /// Writes the fixture's story into a store: ingest, status changes (a resolve that regresses),
    /// an excluded issue, an enrichment, a repository link with its status and a version pin.
    static func write(into store: IssueStore) async throws {
        let batches = batches()
        var issueIDs: [Int64] = []
        for (index, batch) in batches.enumerated() {
            let summary = try await store.ingest(batch.events, versionsSeen: [ServiceVersion(service: "checkout", env: "prod", version: "1.0.\(index + 1)")], receivedAt: batch.receivedAt)
            issueIDs.append(contentsOf: summary.issueIDs)
            if index == 0 {
                // The Python issue is acknowledged, then resolved in 1.0.0: 1.1.0 reopens it as a regression.
                _ = try await store.setStatus(issueID: summary.issueIDs[0], to: .acknowledged, at: epoch.addingTimeInterval(4000))
                _ = try await store.setStatus(issueID: summary.issueIDs[0], to: .resolved, at: epoch.addingTimeInterval(5000))
            }
        }
        // The overridden-fingerprint issue is excluded after its one event was stored.
        _ = try await store.setStatus(issueID: issueIDs[issueIDs.count - 1], to: .excluded, at: epoch.addingTimeInterval(11000))
        let python = issueIDs[0]
        guard let detail = try await store.issue(id: python, now: now), let latest = detail.latestEvent else {
            throw FixtureError.missing("python issue")
        }
        try await store.saveEnrichment(IssueEnrichment(
            issueID: python, eventID: latest.id, repositoryKey: "github.com/acme/shop",
            sources: Data(#"{"frames":[{"status":"resolved","path":"shop/checkout.py","line":2}]}"#.utf8),
            enrichedAt: epoch.addingTimeInterval(11000), attempts: 0, culprit: "shop/checkout.py in load_cart"
        ))
        _ = try await store.linkRepository(RepositoryLink(
            service: "orders", repositoryKey: "github.com/acme/orders", repositoryURL: "https://github.com/acme/orders",
            ref: "main", mappings: [PathMapping(stackRoot: "/srv/orders", sourceRoot: "src")], createdAt: epoch.addingTimeInterval(100)
        ))
        try await store.recordRepositoryStatus(RepositoryStatusRecord(
            repositoryKey: "github.com/acme/orders", repositoryURL: "https://github.com/acme/orders", state: .failed,
            lastError: "connection refused", lastFetchAt: epoch.addingTimeInterval(200), updatedAt: epoch.addingTimeInterval(300),
            nextAttemptAt: epoch.addingTimeInterval(900)
        ))
        _ = try await store.pinVersion(VersionPin(
            service: "orders", version: "2.0.2", repositoryKey: "github.com/acme/orders", ref: "main",
            commitSHA: "89abcdef0123456789abcdef0123456789abcdef", pinnedAt: epoch.addingTimeInterval(400)
        ))
    }

    enum FixtureError: Error {
        case missing(String)
    }
}

/// Everything a store shows through its public API, for comparing a store before and after an upgrade.
struct StoreSnapshot: Codable, Hashable {
    struct Enrichment: Codable, Hashable {
        var issueID: Int64
        var eventID: Int64
        var repositoryKey: String?
        var sources: Data
        var enrichedAt: Date
        var attempts: Int
        var failingSince: Date?
        var retryAt: Date?
        var culprit: String?
    }

    var issues: [IssueDetail]
    /// Every stored event of each issue (all pages), newest first, in the order of `issues`.
    var events: [[StoredEvent]]
    var enrichments: [Enrichment]
    var links: [RepositoryLink]
    var repositoryStatuses: [RepositoryStatusRecord]
    var pins: [VersionPin]

    static func take(_ store: IssueStore, now: Date) async throws -> StoreSnapshot {
        let page = try await store.issues(IssueListRequest(limit: 1000), now: now)
        var snapshot = StoreSnapshot(issues: [], events: [], enrichments: [], links: [], repositoryStatuses: [], pins: [])
        for id in page.issues.map(\.id).sorted() {
            if let detail = try await store.issue(id: id, now: now) { snapshot.issues.append(detail) }
            var events: [StoredEvent] = []
            var cursor: Int64?
            repeat {
                let events_ = try await store.events(issueID: id, limit: 2, before: cursor)
                events.append(contentsOf: events_.events)
                cursor = events_.nextCursor
            } while cursor != nil
            snapshot.events.append(events)
            if let enrichment = try await store.enrichment(issueID: id) {
                snapshot.enrichments.append(Enrichment(
                    issueID: enrichment.issueID, eventID: enrichment.eventID, repositoryKey: enrichment.repositoryKey,
                    sources: enrichment.sources, enrichedAt: enrichment.enrichedAt, attempts: enrichment.attempts,
                    failingSince: enrichment.failingSince, retryAt: enrichment.retryAt, culprit: enrichment.culprit
                ))
            }
        }
        snapshot.links = try await store.repositoryLinks()
        snapshot.repositoryStatuses = try await store.repositoryStatuses()
        snapshot.pins = try await store.versionPins()
        return snapshot
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }()
}
