/// Reads v0.4 payloads sent as JSON (`[[{span}, …], …]`, as dd-trace's JSON encoder writes them) in
/// the same two passes as msgpack: a scan of ids, service and `error`, then a full decode of the
/// spans that may become events.
struct DatadogJSONDecoder {
    let rule: DatadogChunkRule

    func decode(_ body: [UInt8]) throws(IntakeError) -> IntakeBatch {
        let result = body.withUnsafeBytes { bytes in
            Result { () throws(IntakeError) -> IntakeBatch in try decode(bytes) }
        }
        return try result.get()
    }

    private func decode(_ bytes: UnsafeRawBufferPointer) throws(IntakeError) -> IntakeBatch {
        var reader = JSONReader(bytes: bytes)
        var batch = IntakeBatch()
        guard !reader.isAtEnd else { return batch }
        guard try reader.open(UInt8(ascii: "[")) else {
            throw IntakeError("v0.4 json: the body is not an array of traces")
        }
        var summaries: [DatadogSpanSummary] = []
        var firstTrace = true
        var traceIndex = 0
        while try reader.hasNext(closing: UInt8(ascii: "]"), first: &firstTrace) {
            guard try reader.open(UInt8(ascii: "[")) else {
                throw IntakeError("v0.4 json: trace \(traceIndex) is not an array of spans")
            }
            summaries.removeAll(keepingCapacity: true)
            var firstSpan = true
            while try reader.hasNext(closing: UInt8(ascii: "]"), first: &firstSpan) {
                rule.keep(try scanSpan(&reader), in: &summaries, stats: &batch.stats)
            }
            try rule.evaluate(
                summaries,
                sameService: { lhs, rhs in
                    let reader = JSONReader(bytes: bytes)
                    return reader.unescape(summaries[lhs].service) == reader.unescape(summaries[rhs].service)
                },
                decode: { index throws(IntakeError) in
                    var spanReader = JSONReader(bytes: bytes, position: summaries[index].position)
                    return try Self.decodeSpan(&spanReader)
                },
                into: &batch
            )
            traceIndex += 1
        }
        guard reader.isAtEnd else {
            throw IntakeError("v0.4 json: unexpected bytes after the payload at byte \(reader.position)")
        }
        return batch
    }

    private func scanSpan(_ reader: inout JSONReader) throws(IntakeError) -> DatadogSpanSummary {
        _ = try reader.peek()
        var summary = DatadogSpanSummary(position: reader.position)
        guard try reader.open(UInt8(ascii: "{")) else {
            try reader.skipValue()
            summary.isMalformed = true
            return summary
        }
        var first = true
        while try reader.hasNext(closing: UInt8(ascii: "}"), first: &first) {
            let key = try reader.readKey()
            switch key.count {
            case 5 where reader.bytes(in: key, equal: "error"):
                summary.isError = Self.signed(try reader.readNumber()) ?? 0 != 0
            case 7 where reader.bytes(in: key, equal: "service"):
                summary.service = try reader.readRawString() ?? 0..<0
            case 7 where reader.bytes(in: key, equal: "span_id"):
                summary.spanID = Self.unsigned(try reader.readNumber()) ?? 0
            case 9 where reader.bytes(in: key, equal: "parent_id"):
                summary.parentID = Self.unsigned(try reader.readNumber()) ?? 0
            default:
                try reader.skipValue()
            }
        }
        return summary
    }

    /// The whole span; nil when a field has a kind that cannot be read (counted malformed).
    static func decodeSpan(_ reader: inout JSONReader) throws(IntakeError) -> DatadogSpan? {
        guard try reader.open(UInt8(ascii: "{")) else { return nil }
        var span = DatadogSpan()
        var malformed = false
        func string(_ value: JSONReader.StringValue) -> String? {
            switch value {
            case .string(let text): return text
            case .null: return nil
            case .other:
                malformed = true
                return nil
            }
        }
        var first = true
        while try reader.hasNext(closing: UInt8(ascii: "}"), first: &first) {
            let key = reader.unescape(try reader.readKey())
            switch key {
            case "service": span.service = string(try reader.readString()) ?? ""
            case "name": span.name = string(try reader.readString())
            case "resource": span.resource = string(try reader.readString())
            case "type": span.type = string(try reader.readString())
            case "trace_id": span.traceID = unsigned(try reader.readNumber()) ?? 0
            case "span_id": span.spanID = unsigned(try reader.readNumber()) ?? 0
            case "parent_id": span.parentID = unsigned(try reader.readNumber()) ?? 0
            case "start": span.start = signed(try reader.readNumber()) ?? 0
            case "duration": span.duration = signed(try reader.readNumber()) ?? 0
            case "error": span.error = signed(try reader.readNumber()) ?? 0
            case "meta":
                guard try reader.open(UInt8(ascii: "{")) else {
                    if try reader.peek() != UInt8(ascii: "n") { malformed = true }
                    try reader.skipValue()
                    continue
                }
                var firstTag = true
                while try reader.hasNext(closing: UInt8(ascii: "}"), first: &firstTag) {
                    let tag = reader.unescape(try reader.readKey())
                    if let value = string(try reader.readString()) { span.meta[tag] = value }
                }
            case "metrics":
                guard try reader.open(UInt8(ascii: "{")) else {
                    if try reader.peek() != UInt8(ascii: "n") { malformed = true }
                    try reader.skipValue()
                    continue
                }
                var firstMetric = true
                while try reader.hasNext(closing: UInt8(ascii: "}"), first: &firstMetric) {
                    let name = reader.unescape(try reader.readKey())
                    switch try reader.readNumber() {
                    case .unsigned(let value): span.metrics[name] = Double(value)
                    case .signed(let value): span.metrics[name] = Double(value)
                    case .float(let value): span.metrics[name] = value
                    case nil: break
                    }
                }
            default:
                try reader.skipValue()
            }
        }
        return malformed ? nil : span
    }

    private static func unsigned(_ number: MessagePackReader.Number?) -> UInt64? {
        switch number {
        case .unsigned(let value): return value
        case .signed(let value): return UInt64(bitPattern: value)
        case .float(let value):
            guard value >= 0, value < 18_446_744_073_709_551_616.0 else { return nil }
            return UInt64(value)
        case nil: return nil
        }
    }

    private static func signed(_ number: MessagePackReader.Number?) -> Int64? {
        number?.int64
    }
}
