import FaultlineCore
import FaultlineIntake
import Testing

/// The entry-span rule and field handling on hand-built payloads, for cases tracers rarely produce.
@Suite struct DatadogRuleTests {
    static func decode(_ traces: [[MessagePack]], options: IntakeOptions = .init()) throws -> IntakeBatch {
        try DatadogIntake(options: options).decode(MessagePack.array(traces.map { .array($0) }).bytes, format: .v04, contentType: "application/msgpack")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var spans: [MessagePack]
        var isEvent: Bool
    }

    static let cases: [Case] = [
        Case(testDescription: "root error span", spans: [v04Span(spanID: 1, error: 1, meta: errorMeta)], isEvent: true),
        Case(testDescription: "parent not in the chunk", spans: [v04Span(spanID: 2, parentID: 99, error: 1, meta: errorMeta)], isEvent: true),
        Case(testDescription: "parent of another service", spans: [
            v04Span(service: "gateway", spanID: 1),
            v04Span(service: "checkout", spanID: 2, parentID: 1, error: 1, meta: errorMeta),
        ], isEvent: true),
        Case(testDescription: "child of the same service", spans: [
            v04Span(spanID: 1),
            v04Span(spanID: 2, parentID: 1, error: 1, meta: errorMeta),
        ], isEvent: false),
        Case(testDescription: "child marked _dd.top_level", spans: [
            v04Span(spanID: 1),
            v04Span(spanID: 2, parentID: 1, error: 1, meta: errorMeta, metrics: ["_dd.top_level": 1]),
        ], isEvent: true),
    ]

    @Test(arguments: cases)
    func entryRule(_ example: Case) throws {
        let batch = try Self.decode([example.spans])
        #expect(batch.events.count == (example.isEvent ? 1 : 0))
        #expect(batch.stats.skippedNotEntry == (example.isEvent ? 0 : 1))
        #expect(batch.stats.spansScanned == example.spans.count)
    }

    @Test func clientComputedTopLevelTrustsTheTracersMark() throws {
        let orphan = v04Span(spanID: 2, parentID: 99, error: 1, meta: errorMeta)
        let marked = v04Span(traceID: 2, spanID: 3, parentID: 98, error: 1, meta: errorMeta, metrics: ["_dd.top_level": 1])
        let root = v04Span(traceID: 3, spanID: 4, error: 1, meta: errorMeta)
        let body = MessagePack.array([.array([orphan]), .array([marked]), .array([root])]).bytes
        let inferred = try DatadogIntake().decode(body, format: .v04, contentType: nil)
        #expect(inferred.stats.errorEvents == 3)
        let trusted = try DatadogIntake().decode(body, format: .v04, contentType: nil, clientComputedTopLevel: true)
        #expect(trusted.stats == IntakeStats(spansScanned: 3, errorEvents: 2, skippedNotEntry: 1))
        #expect(trusted.events.map(\.spanID) == ["0000000000000003", "0000000000000004"])
        #expect(DatadogIntake.clientComputedTopLevel(header: "true") && DatadogIntake.clientComputedTopLevel(header: "yes"))
        #expect(!DatadogIntake.clientComputedTopLevel(header: nil) && !DatadogIntake.clientComputedTopLevel(header: " "))
    }

    @Test func goTracerStackFallbacksAndOldMessageKey() throws {
        let batch = try Self.decode([
            [v04Span(traceID: 1, spanID: 1, error: 1, meta: ["error.type": "*errors.errorString", "error.msg": "boom", "error.handling_stack": "main.handler()\n\t/app/main.go:12 +0x1d"])],
            [v04Span(traceID: 2, spanID: 2, error: 1, meta: ["error.type": "*fmt.wrapError", "error.message": "wrapped", "error.details": "wrapped: inner\nmain.run\n\t/app/run.go:3"])],
        ])
        #expect(batch.events.map(\.errorMessage) == ["boom", "wrapped"])
        #expect(batch.events.map(\.errorStack) == ["main.handler()\n\t/app/main.go:12 +0x1d", "wrapped: inner\nmain.run\n\t/app/run.go:3"])
    }

    @Test func errorWithoutStackOrWithoutTypeAndMessageIsSkipped() throws {
        let batch = try Self.decode([
            [v04Span(traceID: 1, spanID: 1, error: 1, meta: ["error.type": "Timeout", "error.message": "slow"])],
            [v04Span(traceID: 2, spanID: 2, error: 1, meta: ["error.stack": pythonStack])],
        ])
        #expect(batch.stats.skippedNoStack == 2)
        #expect(batch.events.isEmpty)
    }

    @Test func tagsAreSplitAndCredentialsStripped() throws {
        let meta = errorMeta.merging([
            "host": "db-1", "_dd.hostname": "web-1", "host.arch": "arm64",
            "container_id": "c0ffee", "kube_namespace": "shop", "k8s.pod.name": "p-1", "container.image.name": "api",
            "peer.service": "postgres", "env": "prod", "version": "2.0.1", "language": "go",
            "_dd.git.repository_url": "https://user:t0ken@github.com/acme/api.git", "_dd.git.commit.sha": "abc123",
            "_dd.p.tid": "65A1B2C300000000", "error.fingerprint": "fp-1",
        ]) { $1 }
        let event = try #require(try Self.decode([[v04Span(traceID: 0x1234, spanID: 0xbeef, error: 1, meta: meta, metrics: ["db.rows": 3])]]).events.first)
        #expect(event.hostTags == ["host": "db-1", "_dd.hostname": "web-1", "host.arch": "arm64"])
        #expect(event.containerTags == ["container_id": "c0ffee", "kube_namespace": "shop", "k8s.pod.name": "p-1", "container.image.name": "api"])
        #expect(event.spanTags == ["peer.service": "postgres", "env": "prod", "version": "2.0.1", "language": "go", "_dd.p.tid": "65A1B2C300000000"])
        #expect(event.metrics == ["db.rows": 3])
        #expect(event.git == GitLink(repositoryURL: "https://github.com/acme/api.git", commitSHA: "abc123"))
        #expect(event.traceID == "65a1b2c3000000000000000000001234")
        #expect(event.spanID == "000000000000beef")
        #expect(event.env == "prod" && event.version == "2.0.1" && event.language == "go")
        #expect(event.fingerprintOverride == "fp-1")
    }

    @Test(arguments: [
        ("https://user:pass@github.com/acme/api.git", "https://github.com/acme/api.git"),
        ("https://x-access-token:ghs_abc@github.com/acme/api", "https://github.com/acme/api"),
        ("ssh://git@gitlab.com/acme/api.git", "ssh://git@gitlab.com/acme/api.git"),
        ("ssh://git:pw@gitlab.com/acme/api.git", "ssh://git@gitlab.com/acme/api.git"),
        ("https://ghp_token@github.com/acme/api", "https://github.com/acme/api"),
        ("git@github.com:acme/api.git", "ssh://git@github.com/acme/api.git"),
        ("user:tok@github.com/acme/api", "https://github.com/acme/api"),
        ("github.com/acme/api", "https://github.com/acme/api"),
        ("not a repository", ""),
    ])
    func repositoryCredentialsAreStripped(url: String, expected: String) throws {
        let meta = errorMeta.merging(["git.repository_url": url, "git.commit.sha": "f00d"]) { $1 }
        let event = try #require(try Self.decode([[v04Span(spanID: 1, error: 1, meta: meta)]]).events.first)
        #expect(event.git == GitLink(repositoryURL: expected, commitSHA: "f00d"))
    }

    @Test func gitTagsOfTheFirstSpanReachTheChunksOtherSpans() throws {
        let batch = try Self.decode([[
            v04Span(service: "gateway", spanID: 1, meta: ["_dd.git.repository_url": "https://github.com/acme/mono", "_dd.git.commit.sha": "beef", "language": "jvm"]),
            v04Span(service: "billing", spanID: 2, parentID: 1, error: 1, meta: errorMeta),
        ]])
        let event = try #require(batch.events.first)
        #expect(event.git == GitLink(repositoryURL: "https://github.com/acme/mono", commitSHA: "beef"))
        #expect(event.language == "jvm")
    }

    @Test func wrongTypesSkipOneSpanNotThePayload() throws {
        let badMeta = MessagePack.map([(.string("error"), .unsigned(1)), (.string("span_id"), .unsigned(7)), (.string("meta"), .unsigned(5))])
        let nonStringKey = MessagePack.map([(.unsigned(3), .string("x")), (.string("error"), .unsigned(1))])
        let batch = try Self.decode([[
            .string("not a span"),
            badMeta,
            nonStringKey,
            .array([.unsigned(1)]),
            v04Span(spanID: 9, error: 1, meta: errorMeta),
        ]])
        #expect(batch.stats == IntakeStats(spansScanned: 5, errorEvents: 1, skippedMalformed: 4))
    }

    @Test func lenientNumbersAndStrings() throws {
        // Signed ids (dd-trace-java), bin strings, a float error flag, nil meta values.
        var body: [UInt8] = [0x91, 0x91, 0x87]
        body += MessagePack.string("service").bytes + [0xc4, 0x03] + Array("api".utf8)
        body += MessagePack.string("span_id").bytes + MessagePack.signed(-2).bytes
        body += MessagePack.string("trace_id").bytes + [0xd2, 0xff, 0xff, 0xff, 0xfe]
        body += MessagePack.string("error").bytes + MessagePack.double(1).bytes
        body += MessagePack.string("duration").bytes + [0xcd, 0x01, 0x00]
        body += MessagePack.string("meta").bytes + MessagePack.map(errorMeta.sorted { $0.key < $1.key }.map { (.string($0.key), .string($0.value)) } + [(.string("absent"), .nil_)]).bytes
        body += MessagePack.string("metrics").bytes + [0x81] + MessagePack.string("n").bytes + [0xca, 0x3f, 0x80, 0x00, 0x00]
        let event = try #require(try DatadogIntake().decode(body, format: .v04, contentType: nil).events.first)
        #expect(event.service == "api")
        #expect(event.spanID == "fffffffffffffffe")
        #expect(event.traceID == "fffffffffffffffe")
        #expect(event.durationNanos == 256)
        #expect(event.metrics == ["n": 1])
        #expect(event.spanTags["absent"] == nil)
    }

    @Test func deepNestingIsSkippedWithoutRecursion() throws {
        let depth = 1_000_000
        let nested = [UInt8](repeating: 0x91, count: depth) + [0xc0]
        // A span that is a million nested arrays, and a meta value that is one.
        var span: [UInt8] = [0x83] + MessagePack.string("span_id").bytes + [0x01] + MessagePack.string("error").bytes + [0x01]
        span += MessagePack.string("meta").bytes + nested
        let body = [0x91, 0x92] + nested + span
        let batch = try DatadogIntake().decode(body, format: .v04, contentType: nil)
        #expect(batch.stats == IntakeStats(spansScanned: 2, skippedMalformed: 2))
    }

    @Test(arguments: [
        ([0xdd, 0xff, 0xff, 0xff, 0xff] as [UInt8], "longer than the body"),
        ([0x91, 0xdf, 0x7f, 0xff, 0xff, 0xff], "longer than the body"),
        ([0xa1, 0x61], "not an array"),
        ([0x91, 0xc1], "reserved byte"),
        ([0x90, 0x90], "unexpected bytes"),
        ([0x91, 0x91, 0x81, 0xa4, 0x6d, 0x65, 0x74, 0x61, 0xdb, 0xff, 0xff, 0xff, 0xff], "ends inside a string"),
        ([0x81, 0xa0, 0xa0], "not an array of traces"),
    ])
    func hostileStructureIsAClearError(body: [UInt8], reason: String) {
        #expect {
            try DatadogIntake().decode(body, format: .v04, contentType: "application/msgpack")
        } throws: { error in
            (error as? IntakeError)?.reason.contains(reason) == true
        }
    }

    @Test func millionsOfTinySpansAreCountedNotKept() throws {
        let half = 1_000_000
        var body: [UInt8] = [0x91, 0xdd]
        MessagePack.bigEndian(UInt64(2 * half), width: 4, into: &body)
        body += [UInt8](repeating: 0x80, count: half) + [UInt8](repeating: 0x01, count: half)
        let batch = try DatadogIntake().decode(body, format: .v04, contentType: nil)
        #expect(batch.stats == IntakeStats(spansScanned: 2 * half, skippedNoError: half, skippedMalformed: half))
    }

    @Test func emptyBodyIsAnEmptyBatch() throws {
        #expect(try DatadogIntake().decode([], format: .v04, contentType: nil).stats == IntakeStats())
        #expect(try DatadogIntake().decode([0x90], format: .v04, contentType: nil).stats == IntakeStats())
    }

    @Test(arguments: [
        ("text/plain", DatadogTraceFormat.v04),
        ("application/json", .v05),
    ])
    func unsupportedContentTypeIsAnError(contentType: String, format: DatadogTraceFormat) {
        #expect(throws: IntakeError.self) {
            try DatadogIntake().decode([0x90], format: format, contentType: contentType)
        }
    }

    @Test func v05StringIndexOutOfRangeIsMalformed() throws {
        let good: [MessagePack] = [.unsigned(1), .unsigned(2), .unsigned(2), .unsigned(5), .unsigned(6), .unsigned(0), .signed(10), .signed(20), .unsigned(1),
                                   .map([(.unsigned(3), .unsigned(4)), (.unsigned(5), .unsigned(6)), (.unsigned(7), .unsigned(8))]), .map([]), .unsigned(0)]
        var bad = good
        bad[0] = .unsigned(400)
        var wrongKind = good
        wrongKind[9] = .unsigned(1)
        let body = MessagePack.array([
            .array(["", "svc", "op", "error.type", "KeyError", "error.message", "missing", "error.stack", pythonStack].map { .string($0) }),
            .array([.array([.array(good)]), .array([.array(bad)]), .array([.array(wrongKind)]), .array([.array(Array(good.prefix(11)))])]),
        ]).bytes
        let batch = try DatadogIntake().decode(body, format: .v05, contentType: "application/msgpack")
        #expect(batch.stats == IntakeStats(spansScanned: 4, errorEvents: 1, skippedMalformed: 3))
        let event = try #require(batch.events.first)
        #expect(event.service == "svc" && event.operation == "op" && event.resource == "op" && event.errorType == "KeyError")
    }

    @Test func jsonEscapesAreDecoded() throws {
        let body = Array(#"""
            [[{"service":"caf\u00e9","span_id":7,"parent_id":null,"error":true,"meta":{"error.type":"E\u0301","error.message":"line\none \"quoted\" \ud83d\ude00 \ud800",
              "error.stack":"at f()\n\tat g()","t\u0061g":"v\/w"},"metrics":{"n":-1.5e2,"m":3}}]]
            """#.utf8)
        let event = try #require(try DatadogIntake().decode(body, format: .v04, contentType: "application/json").events.first)
        #expect(event.service == "café")
        #expect(event.errorType == "E\u{301}")
        #expect(event.errorMessage == "line\none \"quoted\" 😀 \u{FFFD}")
        #expect(event.errorStack == "at f()\n\tat g()")
        #expect(event.spanTags == ["tag": "v/w"])
        #expect(event.metrics == ["n": -150, "m": 3])
    }

    @Test func jsonWithWrongKindsSkipsSpansAndRejectsNonJSON() throws {
        let body = Array(#"[[{"span_id": 1, "error": 1, "meta": {"error.type": "E", "error.message": "m", "error.stack": "s"}}, {"span_id": "x", "error": 1, "meta": 5}, 7]]"#.utf8)
        let batch = try DatadogIntake().decode(body, format: .v04, contentType: "application/json; charset=utf-8")
        #expect(batch.stats == IntakeStats(spansScanned: 3, errorEvents: 1, skippedMalformed: 2))
        for bad in ["{", "{\"traces\": []}", "[1]", "[[]] x", "[[{\"error\" 1}]]", "[[{}],]", "[[\"unterminated]]",
                    String(repeating: "[", count: 100_000), "[[" + String(repeating: "{\"a\":[", count: 100_000)] {
            #expect(throws: IntakeError.self) {
                try DatadogIntake().decode(Array(bad.utf8), format: .v04, contentType: "application/json")
            }
        }
    }
}
