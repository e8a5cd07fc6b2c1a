import FaultlineCore
import FaultlineIntake
import FaultlineTestSupport
import Testing

/// Payloads captured from the real ddtrace library (scripts/fixtures/intake/capture.sh).
@Suite struct DatadogFixtureTests {
    struct Capture: Sendable, CustomTestStringConvertible {
        var directory: String
        var payload: String
        var format: DatadogTraceFormat
        var repositoryURL: String
        var commitSHA: String
        var testDescription: String { "\(directory)/\(payload)" }
    }

    static let captures = [
        Capture(directory: "ddtrace-v05", payload: "payload-1.msgpack", format: .v05,
                repositoryURL: "https://github.com/acme/checkout.git", commitSHA: "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5"),
        Capture(directory: "ddtrace-v04", payload: "payload-1.msgpack", format: .v04,
                repositoryURL: "https://github.com/acme/checkout", commitSHA: "0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6"),
        Capture(directory: "ddtrace-v04", payload: "payload-ddtrace-json.json", format: .v04,
                repositoryURL: "https://github.com/acme/checkout", commitSHA: "0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6"),
        Capture(directory: "ddtrace-v05", payload: "payload-ddtrace-json.json", format: .v04,
                repositoryURL: "https://github.com/acme/checkout.git", commitSHA: "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5"),
    ]

    static func decode(_ capture: Capture, options: IntakeOptions = .init()) throws -> IntakeBatch {
        let body = try Fixtures.bytes("\(capture.directory)/\(capture.payload)")
        guard capture.payload.hasSuffix(".msgpack") else {
            return try DatadogIntake(options: options).decode(body, format: capture.format, contentType: "application/json")
        }
        // Decode as the server would, with the content type and top-level header ddtrace sent.
        let request = "\(capture.directory)/\(capture.payload.replacingOccurrences(of: ".msgpack", with: ".request.json"))"
        let topLevel = DatadogIntake.clientComputedTopLevel(header: try Fixtures.header("datadog-client-computed-top-level", request))
        #expect(topLevel, "ddtrace sends Datadog-Client-Computed-Top-Level")
        return try DatadogIntake(options: options).decode(
            body, format: capture.format, contentType: try Fixtures.contentType(request), clientComputedTopLevel: topLevel)
    }

    @Test(arguments: captures)
    func statsMatchWhatTheTracerSent(_ capture: Capture) throws {
        let manifest = try Fixtures.manifest(capture.directory)
        let batch = try Self.decode(capture)
        #expect(batch.stats == IntakeStats(
            spansScanned: manifest.count,
            errorEvents: manifest.filter { $0.expect == "event" }.count,
            skippedNotEntry: manifest.filter { $0.expect == "not_entry" }.count,
            skippedNoError: manifest.filter { $0.expect == "no_error" }.count,
            skippedNoStack: manifest.filter { $0.expect == "no_stack" }.count,
            skippedMalformed: 0
        ))
        #expect(batch.stats.errorEvents == 3)
    }

    @Test(arguments: captures)
    func eventsCarryTheSpanIdentityAndError(_ capture: Capture) throws {
        let expected = try Fixtures.manifest(capture.directory).filter { $0.expect == "event" }
        let events = try Self.decode(capture).events
        #expect(events.count == expected.count)
        for entry in expected {
            let event = try #require(events.first { $0.spanID == entry.span_id }, "no event for span \(entry.span_id)")
            #expect(event.traceID == entry.trace_id)
            #expect(event.traceID.count == 32, "128-bit id from _dd.p.tid")
            #expect(event.service == entry.service)
            #expect(event.operation == entry.name)
            #expect(event.resource == entry.resource)
            #expect(event.errorType == entry.error_type)
            #expect(event.errorMessage == entry.error_message)
            #expect(event.errorStack.hasPrefix("Traceback (most recent call last):"))
            #expect(event.errorStack.contains(entry.error_message ?? "?"))
            #expect(event.fingerprintOverride == entry.fingerprint)
            #expect(event.env == "prod")
            #expect(event.version == (entry.service == "checkout" ? "1.4.2" : nil), "ddtrace tags version on the main service only")
            #expect(event.language == "python", "carried from the chunk's first span")
            #expect(event.git == GitLink(repositoryURL: capture.repositoryURL, commitSHA: capture.commitSHA))
            #expect(event.hostTags["_dd.hostname"] == "web-1")
            #expect(event.containerTags["kube_namespace"] == "shop")
            #expect(event.spanTags["team"] == "payments")
            #expect(event.spanTags["error.stack"] == nil && event.spanTags["_dd.git.repository_url"] == nil)
            #expect(event.startNanos > 1_700_000_000_000_000_000 && event.durationNanos > 0)
            #expect(event.origin == .datadog)
        }
        let entrySpan = try #require(events.first { $0.resource == "POST /checkout" })
        #expect(entrySpan.metrics["_dd.top_level"] == 1)
        #expect(entrySpan.spanTags["http.method"] == "POST")
        #expect(entrySpan.errorStack.contains("The above exception was the direct cause of the following exception"))
    }

    @Test func containerIDFromDDTagsIsAContainerTag() throws {
        let events = try Self.decode(Self.captures[0]).events
        #expect(events.allSatisfy { $0.containerTags["container_id"] == "8f3e2a1b9c7d" && $0.containerTags["kube_deployment"] == "checkout" })
    }

    @Test(arguments: captures)
    func relaxedRuleKeepsChildErrors(_ capture: Capture) throws {
        let manifest = try Fixtures.manifest(capture.directory)
        let batch = try Self.decode(capture, options: IntakeOptions(entrySpansOnly: false))
        #expect(batch.stats.skippedNotEntry == 0)
        #expect(batch.stats.errorEvents == manifest.filter { $0.expect == "event" || $0.expect == "not_entry" }.count)
        let child = try #require(manifest.first { $0.expect == "not_entry" })
        let event = try #require(batch.events.first { $0.spanID == child.span_id })
        #expect(event.errorType == "builtins.KeyError")
        #expect(event.traceID == child.trace_id, "128-bit id carried from the chunk's first span")
    }

    static func contentType(_ capture: Capture) -> String {
        capture.payload.hasSuffix(".json") ? "application/json" : "application/msgpack"
    }

    @Test(arguments: captures)
    func everyTruncationIsAnErrorNeverACrash(_ capture: Capture) throws {
        let body = try Fixtures.bytes("\(capture.directory)/\(capture.payload)")
        for cut in stride(from: 1, to: body.count, by: max(37, body.count / 400)) {
            #expect(throws: IntakeError.self) {
                try DatadogIntake().decode(Array(body[..<cut]), format: capture.format, contentType: Self.contentType(capture))
            }
        }
    }

    @Test(arguments: captures)
    func corruptedBytesNeverCrash(_ capture: Capture) throws {
        let body = try Fixtures.bytes("\(capture.directory)/\(capture.payload)")
        var random = SplitMix64(seed: 42)
        for _ in 0..<300 {
            var mutated = body
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                mutated[Int.random(in: 0..<mutated.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if let batch = try? DatadogIntake().decode(mutated, format: capture.format, contentType: Self.contentType(capture)) {
                let stats = batch.stats
                #expect(stats.errorEvents + stats.skippedNotEntry + stats.skippedNoError + stats.skippedNoStack + stats.skippedMalformed == stats.spansScanned)
                #expect(batch.events.count == stats.errorEvents)
            }
        }
    }
}

/// A long trace that ddtrace flushed in parts: the chunk holding a child's error lacks the root.
@Suite struct DatadogPartialFlushTests {
    static let request = "ddtrace-partial/payload-1.request.json"

    static func decode(clientComputedTopLevel: Bool) throws -> IntakeBatch {
        try DatadogIntake().decode(
            try Fixtures.bytes("ddtrace-partial/payload-1.msgpack"), format: .v05,
            contentType: try Fixtures.contentType(request), clientComputedTopLevel: clientComputedTopLevel)
    }

    @Test func childErrorInARootlessChunkIsNotAnEntryWhenTheTracerMarksTopLevel() throws {
        let manifest = try Fixtures.manifest("ddtrace-partial")
        #expect(DatadogIntake.clientComputedTopLevel(header: try Fixtures.header("datadog-client-computed-top-level", Self.request)))
        let batch = try Self.decode(clientComputedTopLevel: true)
        #expect(batch.stats == IntakeStats(
            spansScanned: manifest.count,
            errorEvents: 1,
            skippedNotEntry: 1,
            skippedNoError: manifest.count - 2
        ))
        let root = try #require(manifest.first { $0.expect == "event" })
        let event = try #require(batch.events.first)
        #expect(event.spanID == root.span_id && event.traceID == root.trace_id)
        #expect(event.errorType == "builtins.TimeoutError" && event.errorMessage == "import exceeded 30s")
        #expect(event.git == GitLink(repositoryURL: "https://github.com/acme/checkout.git", commitSHA: "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5"))
    }

    @Test func withoutTheHeaderTheParentRuleTakesTheOrphanForAnEntry() throws {
        let batch = try Self.decode(clientComputedTopLevel: false)
        let child = try #require(try Fixtures.manifest("ddtrace-partial").first { $0.expect == "not_entry" })
        #expect(batch.stats.errorEvents == 2)
        let event = try #require(batch.events.first { $0.spanID == child.span_id })
        #expect(event.errorType == "builtins.LookupError")
        #expect(event.git?.commitSHA == "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5", "git tags of the partial chunk's first span")
        #expect(event.traceID == child.trace_id, "_dd.p.tid of the partial chunk's first span")
    }
}
