import FaultlineCore
@testable import FaultlineIntake
import Testing

/// Lengths are cut and noted in the event; a payload's events are bounded in number and bytes; OTLP JSON
/// is transcoded without building the whole request.
@Suite struct IntakeLimitTests {
    static func v04(_ spans: [MessagePack]) -> [UInt8] {
        MessagePack.array([.array(spans)]).bytes
    }

    @Test func longNamesMessagesTagsAndStacksAreCutAndNoted() throws {
        let limits = IntakeLimits.default
        // Multi-byte characters straddle every cut, and the stack's last line would be cut in half.
        let longMessage = String(repeating: "é", count: limits.maxMessageBytes)
        let stackLine = "  File \"/app/views.py\", line 10, in handle — ü\n"
        let longStack = "Traceback (most recent call last):\n" + String(repeating: stackLine, count: limits.maxStackBytes / stackLine.utf8.count + 10)
            + "ValueError: bad\n"
        let meta = [
            "error.type": "ValueError", "error.message": longMessage, "error.stack": longStack,
            "env": String(repeating: "p", count: 10_000), "note": String(repeating: "ß", count: limits.maxTagValueBytes),
            String(repeating: "k", count: 1_000): "v",
        ]
        let body = Self.v04([v04Span(service: String(repeating: "s", count: 1_000_000), spanID: 1, error: 1, meta: meta)])
        let batch = try PayloadFormat.datadogV04.decode(body)
        let event = try #require(batch.events.first)
        #expect(event.service == String(repeating: "s", count: limits.maxNameBytes))
        #expect(event.env == String(repeating: "p", count: limits.maxNameBytes))
        #expect(event.errorMessage.utf8.count <= limits.maxMessageBytes && event.errorMessage.utf8.count > limits.maxMessageBytes - 2)
        #expect(longMessage.hasPrefix(event.errorMessage))
        #expect(event.errorStack.utf8.count <= limits.maxStackBytes)
        #expect(event.errorStack.hasSuffix("ü\n"))
        #expect(longStack.hasPrefix(event.errorStack))
        let note = try #require(event.spanTags["note"])
        #expect(note.utf8.count <= limits.maxTagValueBytes && note.allSatisfy { $0 == "ß" })
        #expect(event.spanTags.keys.allSatisfy { $0.utf8.count <= limits.maxTagKeyBytes })
        #expect(event.spanTags[IntakeLimits.truncationTag] == "service,env,errorMessage,errorStack,tags")
        #expect(batch.stats == IntakeStats(spansScanned: 1, errorEvents: 1))
    }

    @Test func anEventWithinTheLimitsIsUnchanged() throws {
        let body = Self.v04([v04Span(spanID: 1, error: 1, meta: errorMeta)])
        let event = try #require(try PayloadFormat.datadogV04.decode(body).events.first)
        #expect(event.spanTags[IntakeLimits.truncationTag] == nil)
        #expect(event.errorStack == pythonStack)
    }

    @Test func eventsBeyondAPayloadsLimitsAreCountedNotKept() throws {
        let spans = (1...5).map { v04Span(traceID: UInt64($0), spanID: UInt64($0), error: 1, meta: errorMeta) }
        let body = MessagePack.array(spans.map { .array([$0]) }).bytes
        var limits = IntakeLimits()
        limits.maxEventsPerPayload = 3
        let batch = try PayloadFormat.datadogV04.decode(body, limits: limits)
        #expect(batch.events.map(\.spanID) == ["0000000000000001", "0000000000000002", "0000000000000003"])
        #expect(batch.stats == IntakeStats(spansScanned: 5, errorEvents: 3, skippedOverLimit: 2))

        limits = IntakeLimits()
        limits.maxEventBytesPerPayload = 2 * EventCutter.size(of: try #require(batch.events.first)) + 1
        let byBytes = try PayloadFormat.datadogV04.decode(body, limits: limits)
        #expect(byBytes.stats == IntakeStats(spansScanned: 5, errorEvents: 2, skippedOverLimit: 3))
    }

    @Test func v05SpansSharingOneHugeStackShareOneCutCopyWithinTheBudget() throws {
        // 5,000 error spans point at one 4 MB stack: each event gets the same cut, one string.
        let stack = String(repeating: "  File \"/app/x.py\", line 1, in f\n", count: 4_000_000 / 32)
        let table: [MessagePack] = ["", "svc", "op", "error.type", "E", "error.stack", stack].map { .string($0) }
        let traces: [MessagePack] = (1...5_000).map { id in
            .array([.array([.unsigned(1), .unsigned(2), .unsigned(2), .unsigned(UInt64(id)), .unsigned(UInt64(id)), .unsigned(0),
                            .signed(0), .signed(0), .unsigned(1), .map([(.unsigned(3), .unsigned(4)), (.unsigned(5), .unsigned(6))]),
                            .map([]), .unsigned(0)])])
        }
        let body = MessagePack.array([.array(table), .array(traces)]).bytes
        let batch = try PayloadFormat.datadogV05.decode(body)
        let limits = IntakeLimits.default
        let first = try #require(batch.events.first)
        #expect(batch.events.count == limits.maxEventBytesPerPayload / EventCutter.size(of: first))
        #expect(batch.stats.errorEvents == batch.events.count)
        #expect(batch.stats.errorEvents + batch.stats.skippedOverLimit == 5_000)
        #expect(first.errorStack.utf8.count <= limits.maxStackBytes && stack.hasPrefix(first.errorStack))
        let identity = try #require(StringIdentity(first.errorStack))
        #expect(batch.events.allSatisfy { StringIdentity($0.errorStack) == identity })
    }

    @Test func millionsOfEmptyResourceSpansTranscodeToNothing() throws {
        let body = Array(("{\"resourceSpans\":[" + Array(repeating: "{}", count: 1_000_000).joined(separator: ",") + "]}").utf8)
        #expect(try OTLPJSONTranscoder.protobuf(body).isEmpty)
        #expect(try PayloadFormat.otlpJSON.decode(body).stats == IntakeStats())
        // Scopes without spans, and spans arrays that are null, keep nothing either.
        let scopes = Array(#"{"resourceSpans":[{"resource":{},"scopeSpans":[{},{"spans":null},{"spans":[]}]}],"unknown":[1,2]}"#.utf8)
        #expect(try OTLPJSONTranscoder.protobuf(scopes).isEmpty)
    }

    @Test func theProtobufScanKeepsNoStateForResourceSpansWithoutSpans() throws {
        // 1,000,000 empty resourceSpans fields: two bytes each.
        let body: [UInt8] = (0..<2_000_000).map { $0 % 2 == 0 ? 0x0a : 0x00 }
        let scan = try body.withUnsafeBytes { bytes in try OTLPWireScan.scan(bytes) }
        #expect(scan.groups.isEmpty)
        #expect(scan.stats == IntakeStats())
        // A resource repeated beyond reason is refused.
        var repeated: [UInt8] = []
        for _ in 0...OTLPWireScan.maxResourceOccurrences { repeated += [0x0a, 0x00] }
        let group = [0x0a] + varint(repeated.count) + repeated
        #expect(throws: IntakeError.self) { try PayloadFormat.otlpProtobuf.decode(group) }
    }
}
