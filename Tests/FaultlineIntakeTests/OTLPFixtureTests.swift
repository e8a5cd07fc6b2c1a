import FaultlineTestSupport
import FaultlineCore
import FaultlineIntake
import Testing

/// Payloads from the real OpenTelemetry Python SDK and OTLP/HTTP exporter (scripts/fixtures/intake/capture.sh),
/// and the same export rendered as OTLP JSON.
@Suite struct OTLPFixtureTests {
    static let payloads = [("otel/payload-1.pb", "application/x-protobuf"), ("otel/payload-1.json", "application/json")]

    static func decode(_ path: String, _ contentType: String, options: IntakeOptions = .init()) throws -> IntakeBatch {
        try OTLPIntake(options: options).decode(try Fixtures.bytes(path), contentType: contentType)
    }

    @Test func capturedContentTypeIsProtobuf() throws {
        #expect(try Fixtures.contentType("otel/payload-1.request.json") == "application/x-protobuf")
    }

    @Test(arguments: payloads)
    func statsMatchWhatTheSDKSent(path: String, contentType: String) throws {
        let manifest = try Fixtures.manifest("otel")
        let batch = try Self.decode(path, contentType)
        #expect(batch.stats == IntakeStats(
            spansScanned: manifest.count,
            errorEvents: manifest.filter { $0.expect == "event" }.count,
            skippedNotEntry: manifest.filter { $0.expect == "not_entry" }.count,
            skippedNoError: manifest.filter { $0.expect == "no_error" }.count,
            skippedNoStack: manifest.filter { $0.expect == "no_stack" }.count,
            skippedMalformed: 0
        ))
        #expect(batch.stats.errorEvents == 2)
    }

    @Test(arguments: payloads)
    func eventsCarryResourceAndException(path: String, contentType: String) throws {
        let expected = try Fixtures.manifest("otel").filter { $0.expect == "event" }
        let events = try Self.decode(path, contentType).events
        #expect(events.count == expected.count)
        for entry in expected {
            let event = try #require(events.first { $0.spanID == entry.span_id })
            #expect(event.traceID == entry.trace_id)
            #expect(event.operation == entry.name)
            #expect(event.errorType == entry.error_type)
            #expect(event.errorMessage == entry.error_message)
            #expect(event.errorStack.hasPrefix("Traceback (most recent call last):"))
            #expect(event.service == "inventory")
            #expect(event.env == "staging")
            #expect(event.version == "2.3.0")
            #expect(event.language == "python")
            #expect(event.git == GitLink(repositoryURL: "https://github.com/acme/inventory.git", commitSHA: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"))
            #expect(event.hostTags == ["host.name": "web-3", "host.arch": "amd64"])
            #expect(event.containerTags == ["container.id": "4f9c1e2ab7d3", "k8s.pod.name": "inventory-7d9f-abcde", "k8s.namespace.name": "shop"])
            #expect(event.spanTags["team"] == "stock")
            #expect(event.spanTags["vcs.repository.url.full"] == nil)
            #expect(event.startNanos > 1_700_000_000_000_000_000 && event.durationNanos > 0)
            #expect(event.origin == .otlp)
        }
        let server = try #require(events.first { $0.operation == "POST /reserve" })
        #expect(server.metrics["http.response.status_code"] == 500)
        #expect(server.spanTags["http.request.method"] == "POST")
        #expect(server.spanTags["span.kind"] == "server")
        let consumer = try #require(events.first { $0.operation == "consume stock.updated" })
        #expect(consumer.traceID == "5b8efff798038103d269b633813fc60c", "continues the remote trace")
    }

    @Test func jsonAndProtobufGiveTheSameEvents() throws {
        let protobuf = try Self.decode("otel/payload-1.pb", "application/x-protobuf")
        let json = try Self.decode("otel/payload-1.json", "application/json")
        #expect(protobuf.events == json.events)
        #expect(protobuf.stats == json.stats)
    }

    @Test(arguments: payloads)
    func relaxedRuleKeepsChildErrors(path: String, contentType: String) throws {
        let manifest = try Fixtures.manifest("otel")
        let batch = try Self.decode(path, contentType, options: IntakeOptions(entrySpansOnly: false))
        let child = try #require(manifest.first { $0.expect == "not_entry" })
        #expect(batch.stats.skippedNotEntry == 0)
        #expect(batch.events.contains { $0.spanID == child.span_id && $0.errorType == "KeyError" })
    }

    @Test func truncatedOrCorruptedProtobufNeverCrashes() throws {
        let body = try Fixtures.bytes("otel/payload-1.pb")
        var failures = 0
        for cut in stride(from: 1, to: body.count, by: 23) {
            do {
                let batch = try OTLPIntake().decode(Array(body[..<cut]), contentType: "application/x-protobuf")
                #expect(batch.stats.spansScanned <= 129)
            } catch {
                failures += 1
            }
        }
        #expect(failures > 0)
        var random = SplitMix64(seed: 7)
        for _ in 0..<300 {
            var mutated = body
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                mutated[Int.random(in: 0..<mutated.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if let batch = try? OTLPIntake().decode(mutated, contentType: nil) {
                let stats = batch.stats
                #expect(stats.errorEvents + stats.skippedNotEntry + stats.skippedNoError + stats.skippedNoStack + stats.skippedMalformed == stats.spansScanned)
            }
        }
    }

    @Test func deeplyNestedResourceAttributeSkipsItsSpansWithoutCrashing() throws {
        // AnyValue{array_value: ArrayValue{values: [AnyValue{…}]}} 5000 levels deep, inside a resource attribute.
        var value: [UInt8] = []
        for _ in 0..<5000 {
            let array = [0x0a] + varint(value.count) + value
            value = [0x2a] + varint(array.count) + array
        }
        let keyValue = [0x0a, 0x01, 0x6b, 0x12] + varint(value.count) + value
        let resource = [0x0a] + varint(keyValue.count) + keyValue
        // A root span with an exception event whose resource must be decoded.
        let stack = Array("exception.stacktrace".utf8), text = Array("at f()".utf8)
        let stackValue = [0x0a] + varint(text.count) + text
        let stackAttribute = [0x0a] + varint(stack.count) + stack + [0x12] + varint(stackValue.count) + stackValue
        let typeAttribute = [0x0a, 0x0e] + Array("exception.type".utf8) + [0x12, 0x03, 0x0a, 0x01, 0x45]
        let event = [0x12, 0x09] + Array("exception".utf8) + [0x1a] + varint(stackAttribute.count) + stackAttribute
            + [0x1a] + varint(typeAttribute.count) + typeAttribute
        let span = [0x0a, 0x10] + [UInt8](repeating: 1, count: 16) + [0x12, 0x08] + [UInt8](repeating: 2, count: 8) + [0x5a] + varint(event.count) + event
            + [0x7a, 0x02, 0x18, 0x02]
        let scopeSpans = [0x12] + varint(span.count) + span
        let resourceSpans = [0x0a] + varint(resource.count) + resource + [0x12] + varint(scopeSpans.count) + scopeSpans
        let request = [0x0a] + varint(resourceSpans.count) + resourceSpans
        let batch = try OTLPIntake().decode(request, contentType: "application/x-protobuf")
        #expect(batch.stats == IntakeStats(spansScanned: 1, skippedMalformed: 1))

        // The same span under an empty resource becomes an event: the malformed count above is the resource's.
        let plain = [0x0a] + varint(scopeSpans.count + 2) + [0x12] + varint(scopeSpans.count) + scopeSpans
        let event2 = try #require(try OTLPIntake().decode(plain, contentType: nil).events.first)
        #expect(event2.errorStack == "at f()" && event2.errorType == "E" && event2.spanID == "0202020202020202")
    }

    @Test(arguments: [[0x0a, 0x05, 0x12] as [UInt8], [0x0b], [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], [0x00]])
    func brokenWireFormatIsAnError(body: [UInt8]) {
        #expect(throws: IntakeError.self) {
            try OTLPIntake().decode(body, contentType: "application/x-protobuf")
        }
    }

    @Test(arguments: ["{", "[]", #"{"resourceSpans": 5}"#, #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": 12}]}]}]}"#,
                      String(repeating: #"{"kvlistValue":{"values":[{"key":"k","value":"#, count: 20_000)])
    func malformedJSONIsAnError(body: String) {
        #expect(throws: IntakeError.self) {
            try OTLPIntake().decode(Array(body.utf8), contentType: "application/json")
        }
    }

    @Test func wrongContentTypeIsAnError() {
        #expect(throws: IntakeError.self) {
            try OTLPIntake().decode([], contentType: "text/plain")
        }
    }

    @Test func spansWithBadIdsAreCountedMalformed() throws {
        let body = #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"","spanId":"00f067aa0ba902b7","name":"x"},{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"y","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000000001000","kind":2,"status":{"code":2},"events":[{"name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"E"}},{"key":"exception.stacktrace","value":{"stringValue":"at f()"}}]}]}]}]}]}"#
        let batch = try OTLPIntake().decode(Array(body.utf8), contentType: "application/json")
        #expect(batch.stats == IntakeStats(spansScanned: 2, errorEvents: 1, skippedMalformed: 1))

        // The same exception recorded on a span whose status is not ERROR (handled): not an error, as in Datadog.
        let handled = body.replacingOccurrences(of: #""status":{"code":2},"#, with: "")
        #expect(try OTLPIntake().decode(Array(handled.utf8), contentType: "application/json").stats
            == IntakeStats(spansScanned: 2, skippedNoError: 1, skippedMalformed: 1))
        let event = try #require(batch.events.first)
        #expect(event.traceID == "4bf92f3577b34da6a3ce929d0e0e4736" && event.spanID == "00f067aa0ba902b7")
        #expect(event.service == "unknown_service" && event.durationNanos == 1000 && event.errorStack == "at f()")
    }
}

@Suite struct OTLPJSONTests {
    @Test func onlyIdValuesAreRewrittenNotTextThatLooksLikeThem() throws {
        let lookalike = #"{\"traceId\": \"4bf92f3577b34da6a3ce929d0e0e4736\"}"#
        let body = #"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
             "scopeSpans":[{"spans":[{"traceId":"4BF92F3577B34DA6A3CE929D0E0E4736","spanId" : "00f067aa0ba902b7","parentSpanId":"",
              "name":"GET /x","kind":"SPAN_KIND_SERVER","status":{"code":"STATUS_CODE_ERROR"},"startTimeUnixNano":1700000000000000000,"endTimeUnixNano":"1700000000000000500",
              "attributes":[{"key":"note","value":{"stringValue":"\#(lookalike)"}},{"key":"spanId","value":{"intValue":"7"}}],
              "events":[{"name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"E"}},
                {"key":"exception.message","value":{"stringValue":"m"}},{"key":"exception.stacktrace","value":{"stringValue":"at f()"}}]}]}]}]}]}
            """#
        let event = try #require(try OTLPIntake().decode(Array(body.utf8), contentType: "application/json").events.first)
        #expect(event.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(event.spanID == "00f067aa0ba902b7")
        #expect(event.service == "api")
        #expect(event.spanTags["note"] == #"{"traceId": "4bf92f3577b34da6a3ce929d0e0e4736"}"#)
        #expect(event.metrics["spanId"] == 7)
        #expect(event.durationNanos == 500)
        #expect(event.errorType == "E" && event.errorMessage == "m")
    }
}

func varint(_ value: Int) -> [UInt8] {
    var remaining = UInt64(value)
    var out: [UInt8] = []
    repeat {
        var byte = UInt8(remaining & 0x7f)
        remaining >>= 7
        if remaining != 0 { byte |= 0x80 }
        out.append(byte)
    } while remaining != 0
    return out
}
