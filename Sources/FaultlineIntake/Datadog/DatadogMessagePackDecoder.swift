/// Reads Datadog msgpack payloads in two passes per chunk: a scan that only looks at span ids,
/// service and `error`, then a full decode of the few spans that may become events.
struct DatadogMessagePackDecoder {
    let rule: DatadogChunkRule

    func decode(_ bytes: UnsafeRawBufferPointer, format: DatadogTraceFormat) throws(IntakeError) -> IntakeBatch {
        var reader = MessagePackReader(bytes: bytes)
        var batch = IntakeBatch()
        switch format {
        case .v04: try decodeV04(&reader, into: &batch)
        case .v05: try decodeV05(&reader, into: &batch)
        }
        guard reader.isAtEnd else {
            throw IntakeError("msgpack: \(bytes.count - reader.position) unexpected bytes after the payload at byte \(reader.position)")
        }
        return batch
    }

    // MARK: - v0.4

    private func decodeV04(_ reader: inout MessagePackReader, into batch: inout IntakeBatch) throws(IntakeError) {
        guard !reader.isAtEnd else { return }
        guard let traceCount = try reader.readArrayHeader() else {
            throw IntakeError("v0.4: payload is not an array of traces")
        }
        var summaries: [DatadogSpanSummary] = []
        for traceIndex in 0..<traceCount {
            guard let spanCount = try reader.readArrayHeader() else {
                throw IntakeError("v0.4: trace \(traceIndex) is not an array of spans")
            }
            summaries.removeAll(keepingCapacity: true)
            for _ in 0..<spanCount {
                rule.keep(try scanV04Span(&reader), in: &summaries, stats: &batch.stats)
            }
            let bytes = reader.bytes
            try rule.evaluate(
                summaries,
                sameService: { lhs, rhs in
                    MessagePackReader(bytes: bytes).bytes(in: summaries[lhs].service, equalBytesIn: summaries[rhs].service)
                },
                decode: { index throws(IntakeError) in
                    var spanReader = MessagePackReader(bytes: bytes, position: summaries[index].position)
                    return try Self.decodeV04Span(&spanReader)
                },
                into: &batch
            )
        }
    }

    /// First pass over a v0.4 span map: ids, service bytes and the error flag; everything else skipped.
    @inline(__always)
    private func scanV04Span(_ reader: inout MessagePackReader) throws(IntakeError) -> DatadogSpanSummary {
        var summary = DatadogSpanSummary(position: reader.position)
        guard let pairs = try reader.readMapHeader() else {
            summary.isMalformed = true
            return summary
        }
        for _ in 0..<pairs {
            guard let key = try reader.readStringRange() else {
                summary.isMalformed = true
                try reader.skipValue()
                continue
            }
            switch key.count {
            case 5 where reader.bytes(in: key, equal: "error"):
                summary.isError = (try reader.readInt64() ?? 0) != 0
            case 7 where reader.bytes(in: key, equal: "service"):
                summary.service = try reader.readStringRange() ?? 0..<0
            case 7 where reader.bytes(in: key, equal: "span_id"):
                summary.spanID = try reader.readUInt64() ?? 0
            case 9 where reader.bytes(in: key, equal: "parent_id"):
                summary.parentID = try reader.readUInt64() ?? 0
            default:
                try reader.skipValue()
            }
        }
        return summary
    }

    /// Second pass: the whole span. Nil when `meta` or `metrics` is not a map of the right kinds.
    static func decodeV04Span(_ reader: inout MessagePackReader) throws(IntakeError) -> DatadogSpan? {
        guard let pairs = try reader.readMapHeader() else { return nil }
        var span = DatadogSpan()
        var malformed = false
        for _ in 0..<pairs {
            guard let key = try reader.readStringRange() else {
                try reader.skipValue()
                malformed = true
                continue
            }
            switch reader.string(in: key) {
            case "service": span.service = try reader.readString() ?? ""
            case "name": span.name = try reader.readString()
            case "resource": span.resource = try reader.readString()
            case "type": span.type = try reader.readString()
            case "trace_id": span.traceID = try reader.readUInt64() ?? 0
            case "span_id": span.spanID = try reader.readUInt64() ?? 0
            case "parent_id": span.parentID = try reader.readUInt64() ?? 0
            case "start": span.start = try reader.readInt64() ?? 0
            case "duration": span.duration = try reader.readInt64() ?? 0
            case "error": span.error = try reader.readInt64() ?? 0
            case "meta":
                guard let meta = try readStringMap(&reader) else { malformed = true; continue }
                span.meta = meta
            case "metrics":
                guard let metrics = try readNumberMap(&reader) else { malformed = true; continue }
                span.metrics = metrics
            default:
                try reader.skipValue()
            }
        }
        return malformed ? nil : span
    }

    private static func readStringMap(_ reader: inout MessagePackReader) throws(IntakeError) -> [String: String]? {
        try readMap(&reader) { (reader: inout MessagePackReader) throws(IntakeError) in try reader.readString() }
    }

    private static func readNumberMap(_ reader: inout MessagePackReader) throws(IntakeError) -> [String: Double]? {
        try readMap(&reader) { (reader: inout MessagePackReader) throws(IntakeError) in try reader.readDouble() }
    }

    /// A map of string keys (`meta`, `metrics`): a key of another kind makes the map unusable (nil);
    /// a nil value, or one of another kind, is an absent entry.
    @inline(__always)
    private static func readMap<Value>(
        _ reader: inout MessagePackReader, value readValue: (inout MessagePackReader) throws(IntakeError) -> Value?
    ) throws(IntakeError) -> [String: Value]? {
        guard let pairs = try reader.readMapHeader() else { return nil }
        var map = [String: Value](minimumCapacity: pairs)
        var malformed = false
        for _ in 0..<pairs {
            let key = try reader.readString()
            let value = try readValue(&reader)
            guard let key else { malformed = true; continue }
            if let value { map[key] = value }
        }
        return malformed ? nil : map
    }

    // MARK: - v0.5

    private func decodeV05(_ reader: inout MessagePackReader, into batch: inout IntakeBatch) throws(IntakeError) {
        guard try reader.readArrayHeader() == 2 else {
            throw IntakeError("v0.5: payload is not a two-element array [string table, traces]")
        }
        guard let stringCount = try reader.readArrayHeader() else {
            throw IntakeError("v0.5: the string table is not an array")
        }
        guard reader.bytes.count <= Int(UInt32.max) else {
            throw IntakeError("v0.5: body larger than 4 GiB")
        }
        var strings = V05StringTable(bytes: reader.bytes)
        strings.starts.reserveCapacity(stringCount)
        for index in 0..<stringCount {
            let start = reader.position
            guard try reader.readStringRange() != nil else {
                throw IntakeError("v0.5: string table entry \(index) is not a string")
            }
            strings.starts.append(UInt32(start))
        }
        // Spans share table strings: decode each once, so a payload of many error spans pointing at
        // one large stack shares one copy instead of multiplying it.
        var decodedStrings: [Int: String] = [:]
        guard let traceCount = try reader.readArrayHeader() else {
            throw IntakeError("v0.5: traces are not an array")
        }
        var summaries: [DatadogSpanSummary] = []
        for traceIndex in 0..<traceCount {
            guard let spanCount = try reader.readArrayHeader() else {
                throw IntakeError("v0.5: trace \(traceIndex) is not an array of spans")
            }
            summaries.removeAll(keepingCapacity: true)
            for _ in 0..<spanCount {
                rule.keep(try scanV05Span(&reader, strings: strings), in: &summaries, stats: &batch.stats)
            }
            let bytes = reader.bytes
            try rule.evaluate(
                summaries,
                sameService: { lhs, rhs in
                    MessagePackReader(bytes: bytes).bytes(in: summaries[lhs].service, equalBytesIn: summaries[rhs].service)
                },
                decode: { index throws(IntakeError) in
                    var spanReader = MessagePackReader(bytes: bytes, position: summaries[index].position)
                    return try Self.decodeV05Span(&spanReader, strings: strings, cache: &decodedStrings)
                },
                into: &batch
            )
        }
    }

    /// First pass over a v0.5 span array: service index, ids and error; the rest skipped.
    @inline(__always)
    private func scanV05Span(_ reader: inout MessagePackReader, strings: V05StringTable) throws(IntakeError) -> DatadogSpanSummary {
        var summary = DatadogSpanSummary(position: reader.position)
        guard let count = try reader.readArrayHeader() else {
            summary.isMalformed = true
            return summary
        }
        guard count == 12 else {
            summary.isMalformed = true
            for _ in 0..<count { try reader.skipValue() }
            return summary
        }
        for field in 0..<12 {
            switch field {
            case 0:
                let index = try reader.readUInt64()
                if let index, index < UInt64(strings.count) {
                    summary.service = strings.range(Int(index))
                } else {
                    summary.isMalformed = true
                }
            case 4: summary.spanID = try reader.readUInt64() ?? 0
            case 5: summary.parentID = try reader.readUInt64() ?? 0
            case 8: summary.isError = (try reader.readInt64() ?? 0) != 0
            default: try reader.skipValue()
            }
        }
        return summary
    }

    static func decodeV05Span(
        _ reader: inout MessagePackReader, strings: V05StringTable, cache: inout [Int: String]
    ) throws(IntakeError) -> DatadogSpan? {
        guard try reader.readArrayHeader() == 12 else { return nil }
        var malformed = false
        func string(_ reader: inout MessagePackReader) throws(IntakeError) -> String? {
            guard let index = try reader.readUInt64(), index < UInt64(strings.count) else {
                malformed = true
                return nil
            }
            if let cached = cache[Int(index)] { return cached }
            let text = reader.string(in: strings.range(Int(index)))
            cache[Int(index)] = text
            return text
        }
        var span = DatadogSpan()
        span.service = try string(&reader) ?? ""
        span.name = try string(&reader)
        span.resource = try string(&reader)
        span.traceID = try reader.readUInt64() ?? 0
        span.spanID = try reader.readUInt64() ?? 0
        span.parentID = try reader.readUInt64() ?? 0
        span.start = try reader.readInt64() ?? 0
        span.duration = try reader.readInt64() ?? 0
        span.error = try reader.readInt64() ?? 0
        if let pairs = try reader.readMapHeader() {
            span.meta.reserveCapacity(pairs)
            for _ in 0..<pairs {
                let key = try string(&reader)
                let value = try string(&reader)
                if let key, let value { span.meta[key] = value }
            }
        } else {
            malformed = true
        }
        if let pairs = try reader.readMapHeader() {
            span.metrics.reserveCapacity(pairs)
            for _ in 0..<pairs {
                let key = try string(&reader)
                let value = try reader.readDouble()
                if let key, let value { span.metrics[key] = value }
            }
        } else {
            malformed = true
        }
        span.type = try string(&reader)
        return malformed ? nil : span
    }
}

/// The v0.5 string table as the offsets where its strings start: 4 bytes per entry, however many
/// (empty) strings a hostile body lists.
struct V05StringTable {
    let bytes: UnsafeRawBufferPointer
    var starts: [UInt32] = []

    var count: Int { starts.count }

    /// The bytes of string `index` (validated when the table was read).
    func range(_ index: Int) -> Range<Int> {
        var reader = MessagePackReader(bytes: bytes, position: Int(starts[index]))
        return (try? reader.readStringRange()) ?? 0..<0
    }
}
