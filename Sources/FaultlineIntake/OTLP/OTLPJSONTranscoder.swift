import SwiftProtobuf

/// Turns an OTLP/HTTP JSON export into the protobuf bytes the wire scan reads, one span at a time: the
/// request, its resourceSpans and scopeSpans are walked without building them, and swift-protobuf decodes
/// only each resource and each span. Memory then follows the largest span, not the whole body (a body of
/// millions of empty resourceSpans builds nothing), and resourceSpans or scopes without spans are dropped.
enum OTLPJSONTranscoder {
    typealias Resource = Opentelemetry_Proto_Resource_V1_Resource

    /// The protobuf `ExportTraceServiceRequest` of a JSON body.
    static func protobuf(_ body: [UInt8]) throws(IntakeError) -> [UInt8] {
        let result = body.withUnsafeBytes { bytes in
            Result { () throws(IntakeError) -> [UInt8] in
                var reader = JSONReader(bytes: bytes, label: "otlp json")
                var output = ProtobufWriter()
                try request(&reader, into: &output)
                guard reader.isAtEnd else {
                    throw IntakeError("otlp json: unexpected bytes after the request at byte \(reader.position)")
                }
                return output.bytes
            }
        }
        return try result.get()
    }

    private static func request(_ reader: inout JSONReader, into output: inout ProtobufWriter) throws(IntakeError) {
        guard try reader.open(UInt8(ascii: "{")) else {
            throw IntakeError("otlp json: the body is not an ExportTraceServiceRequest object")
        }
        var first = true
        while try reader.hasNext(closing: UInt8(ascii: "}"), first: &first) {
            let key = try reader.readKey()
            guard isKey(key, reader, "resourceSpans", "resource_spans") else {
                try reader.skipValue()
                continue
            }
            try array(&reader) { (reader: inout JSONReader) throws(IntakeError) in
                let group = try resourceSpans(&reader)
                if !group.isEmpty { output.field(1, group) }
            }
        }
    }

    /// A `ResourceSpans`: empty when it has no spans.
    private static func resourceSpans(_ reader: inout JSONReader) throws(IntakeError) -> [UInt8] {
        guard try reader.open(UInt8(ascii: "{")) else {
            try reader.skipValue()
            throw IntakeError("otlp json: a resourceSpans is not an object at byte \(reader.position)")
        }
        var resource: [UInt8]?
        var scopes = ProtobufWriter()
        var first = true
        while try reader.hasNext(closing: UInt8(ascii: "}"), first: &first) {
            let key = try reader.readKey()
            if isKey(key, reader, "resource") {
                let start = reader.position
                try reader.skipValue()
                resource = try message(Resource.self, reader, start..<reader.position, what: "resource")
            } else if isKey(key, reader, "scopeSpans", "scope_spans") {
                try array(&reader) { (reader: inout JSONReader) throws(IntakeError) in
                    let scope = try scopeSpans(&reader)
                    if !scope.isEmpty { scopes.field(2, scope) }
                }
            } else {
                try reader.skipValue()
            }
        }
        guard !scopes.bytes.isEmpty else { return [] }
        var group = ProtobufWriter()
        if let resource { group.field(1, resource) }
        group.bytes += scopes.bytes
        return group.bytes
    }

    /// A `ScopeSpans` holding only its spans (the rule never reads the scope): empty when it has none.
    private static func scopeSpans(_ reader: inout JSONReader) throws(IntakeError) -> [UInt8] {
        guard try reader.open(UInt8(ascii: "{")) else {
            try reader.skipValue()
            throw IntakeError("otlp json: a scopeSpans is not an object at byte \(reader.position)")
        }
        var spans = ProtobufWriter()
        var first = true
        while try reader.hasNext(closing: UInt8(ascii: "}"), first: &first) {
            let key = try reader.readKey()
            guard isKey(key, reader, "spans") else {
                try reader.skipValue()
                continue
            }
            try array(&reader) { (reader: inout JSONReader) throws(IntakeError) in
                let start = reader.position
                try reader.skipValue()
                spans.field(2, try message(OTLPSpan.self, reader, start..<reader.position, what: "span"))
            }
        }
        return spans.bytes
    }

    /// Calls `element` for each element of an array (`null` is an empty one).
    private static func array(
        _ reader: inout JSONReader, _ element: (inout JSONReader) throws(IntakeError) -> Void
    ) throws(IntakeError) {
        if try reader.peek() == UInt8(ascii: "n") {
            try reader.skipValue()
            return
        }
        guard try reader.open(UInt8(ascii: "[")) else {
            throw IntakeError("otlp json: expected an array at byte \(reader.position)")
        }
        var first = true
        while try reader.hasNext(closing: UInt8(ascii: "]"), first: &first) {
            try element(&reader)
        }
    }

    /// One message decoded by swift-protobuf from its JSON bytes (hex ids rewritten), serialized again.
    private static func message<Message: SwiftProtobuf.Message>(
        _ type: Message.Type, _ reader: JSONReader, _ range: Range<Int>, what: String
    ) throws(IntakeError) -> [UInt8] {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        do {
            let json = OTLPJSONIDs.rewrite(Array(reader.bytes[range]))
            return try Message(jsonUTF8Bytes: json, options: options).serializedBytes()
        } catch {
            throw IntakeError("otlp json: the \(what) at byte \(range.lowerBound) is not valid (\(describe(error)))")
        }
    }

    private static func isKey(_ key: Range<Int>, _ reader: JSONReader, _ names: StaticString...) -> Bool {
        names.contains { name in
            name.utf8CodeUnitCount == key.count
                && name.withUTF8Buffer { expected in expected.elementsEqual(reader.bytes[key]) }
        }
    }

    /// The decoder's error kind only: its descriptions never include payload bytes.
    static func describe(_ error: any Error) -> String {
        if let binary = error as? BinaryDecodingError { return "\(binary)" }
        if let json = error as? JSONDecodingError { return "\(json)" }
        return "unreadable"
    }
}

/// Appends protobuf length-delimited fields.
struct ProtobufWriter {
    var bytes: [UInt8] = []

    mutating func field(_ number: UInt64, _ payload: [UInt8]) {
        varint(number << 3 | 2)
        varint(UInt64(payload.count))
        bytes += payload
    }

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}
