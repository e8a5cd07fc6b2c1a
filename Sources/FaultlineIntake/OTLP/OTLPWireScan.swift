/// The first pass over a protobuf OTLP export: where each span is and the few fields the entry rule
/// needs, without building messages.
enum OTLPWireScan {
    struct SpanSummary {
        /// The span message's bytes, for a full decode when it may become an event.
        var range: Range<Int>
        var traceIDLength = 0
        var spanIDLength = 0
        var spanID: UInt64 = 0
        /// Any occurrence of `status` says ERROR (the full decode settles merges).
        var hasErrorStatus = false
        /// Nil when the span has no parent (absent, empty or all zero).
        var parentSpanID: UInt64?
        var kind: UInt64 = 0
        var flags: UInt32 = 0
        var startNanos: UInt64 = 0
    }

    struct ResourceGroup {
        /// Every occurrence of the `resource` field (protobuf merges repeated message fields).
        var resource: [Range<Int>] = []
        /// Spans whose status says ERROR, in payload order.
        var candidates: [SpanSummary] = []
        /// Spans that may be a service's entry (roots, SERVER and CONSUMER spans), error or not.
        var entries: [SpanSummary] = []
    }

    /// What the scan found. Spans that cannot become events are counted here and not kept, so a
    /// body of many tiny spans cannot make the scan many times larger than the body.
    struct Result {
        var groups: [ResourceGroup] = []
        /// Ids of every well-formed span, for "is the parent in this export".
        var spanIDs: [UInt64] = []
        /// `spansScanned` for all spans; `skippedMalformed` and `skippedNoError` for those not kept.
        var stats = IntakeStats()
    }

    /// Occurrences of `resource` one resourceSpans may carry.
    static let maxResourceOccurrences = 64

    // Field numbers from opentelemetry/proto/trace/v1/trace.proto.
    static func scan(_ bytes: UnsafeRawBufferPointer) throws(IntakeError) -> Result {
        var result = Result()
        var request = ProtobufWireReader(bytes: bytes, range: 0..<bytes.count)
        while !request.isAtEnd {
            let (field, wireType) = try request.readTag()
            guard field == 1, wireType == .lengthDelimited else {
                try request.skip(wireType)
                continue
            }
            let group = try scanResourceSpans(bytes, request.readLengthDelimited(), into: &result)
            // A group without spans the rule reads costs nothing: a body of empty resourceSpans keeps no state.
            if !group.candidates.isEmpty || !group.entries.isEmpty {
                result.groups.append(group)
            }
        }
        return result
    }

    private static func scanResourceSpans(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, into result: inout Result
    ) throws(IntakeError) -> ResourceGroup {
        var group = ResourceGroup()
        var reader = ProtobufWireReader(bytes: bytes, range: range)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited):
                // Protobuf merges repeated occurrences; a few are legal, millions are an attack on memory.
                guard group.resource.count < maxResourceOccurrences else {
                    throw IntakeError("otlp: a resourceSpans repeats its resource more than \(maxResourceOccurrences) times at byte \(reader.position)")
                }
                group.resource.append(try reader.readLengthDelimited())
            case (2, .lengthDelimited):
                var scope = ProtobufWireReader(bytes: bytes, range: try reader.readLengthDelimited())
                while !scope.isAtEnd {
                    let (scopeField, scopeWireType) = try scope.readTag()
                    if scopeField == 2, scopeWireType == .lengthDelimited {
                        let span = try scanSpan(bytes, scope.readLengthDelimited())
                        result.stats.spansScanned += 1
                        if span.traceIDLength != 16 || span.spanIDLength != 8 {
                            result.stats.skippedMalformed += 1
                        } else {
                            result.spanIDs.append(span.spanID)
                            if span.parentSpanID == nil || span.kind == 2 || span.kind == 5 {
                                group.entries.append(span)
                            }
                            if span.hasErrorStatus {
                                group.candidates.append(span)
                            } else {
                                result.stats.skippedNoError += 1
                            }
                        }
                    } else {
                        try scope.skip(scopeWireType)
                    }
                }
            default:
                try reader.skip(wireType)
            }
        }
        return group
    }

    private static func scanSpan(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) throws(IntakeError) -> SpanSummary {
        var summary = SpanSummary(range: range)
        var reader = ProtobufWireReader(bytes: bytes, range: range)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited):
                summary.traceIDLength = try reader.readLengthDelimited().count
            case (2, .lengthDelimited):
                let id = try reader.readLengthDelimited()
                summary.spanIDLength = id.count
                summary.spanID = id.count == 8 ? bigEndian(bytes, id) : 0
            case (4, .lengthDelimited):
                let id = try reader.readLengthDelimited()
                let value = id.count == 8 ? bigEndian(bytes, id) : 0
                // A malformed parent id counts as a parent that is not in the payload.
                summary.parentSpanID = id.isEmpty || (id.count == 8 && value == 0) ? nil : (id.count == 8 ? value : UInt64.max)
            case (6, .varint):
                summary.kind = try reader.readVarint()
            case (16, .fixed32):
                summary.flags = try reader.readFixed32()
            case (7, .fixed64):
                summary.startNanos = try reader.readFixed64()
            case (15, .lengthDelimited):
                var status = ProtobufWireReader(bytes: bytes, range: try reader.readLengthDelimited())
                while !status.isAtEnd {
                    let (statusField, statusWireType) = try status.readTag()
                    if statusField == 3, statusWireType == .varint {
                        if try status.readVarint() == 2 { summary.hasErrorStatus = true }
                    } else {
                        try status.skip(statusWireType)
                    }
                }
            default:
                try reader.skip(wireType)
            }
        }
        return summary
    }

    private static func bigEndian(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        var value: UInt64 = 0
        for index in range { value = value << 8 | UInt64(bytes[index]) }
        return value
    }
}
