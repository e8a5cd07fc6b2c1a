import FaultlineCore
import Foundation

/// Writes a ``GroupedEvent`` as the JSON its synthesized `Codable` conformance produces (same keys, optionals
/// left out when nil), several times faster than `JSONEncoder`: event encoding dominated the commit path.
/// One difference: `stackTrace.raw` is left out when equal to `event.errorStack` (a third of a large event).
/// Read back with ``StoredEventPayload``. A test checks every stored property of the model is written.
struct EventJSON {
    private var bytes: [UInt8] = []

    static func encode(_ grouped: GroupedEvent) -> Data {
        var writer = EventJSON()
        writer.bytes.reserveCapacity(grouped.event.errorStack.utf8.count * 3 + 2048)
        writer.write(grouped)
        return Data(writer.bytes)
    }

    private mutating func write(_ grouped: GroupedEvent) {
        var object = ObjectState()
        bytes.append(UInt8(ascii: "{"))
        key("event", &object); write(grouped.event)
        key("stackTrace", &object); write(grouped.stackTrace, rawIsErrorStack: grouped.stackTrace.raw == grouped.event.errorStack)
        key("normalizedMessage", &object); string(grouped.normalizedMessage)
        key("fingerprint", &object); write(grouped.fingerprint)
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func write(_ event: ErrorEvent) {
        var object = ObjectState()
        bytes.append(UInt8(ascii: "{"))
        key("traceID", &object); string(event.traceID)
        key("spanID", &object); string(event.spanID)
        key("service", &object); string(event.service)
        optional("env", event.env, &object)
        optional("version", event.version, &object)
        optional("resource", event.resource, &object)
        optional("operation", event.operation, &object)
        key("startNanos", &object); integer(event.startNanos)
        key("durationNanos", &object); integer(event.durationNanos)
        key("errorType", &object); string(event.errorType)
        key("errorMessage", &object); string(event.errorMessage)
        key("errorStack", &object); string(event.errorStack)
        optional("language", event.language, &object)
        optional("fingerprintOverride", event.fingerprintOverride, &object)
        key("spanTags", &object); dictionary(event.spanTags)
        key("hostTags", &object); dictionary(event.hostTags)
        key("containerTags", &object); dictionary(event.containerTags)
        key("metrics", &object); metrics(event.metrics)
        if let git = event.git {
            key("git", &object)
            write(git)
        }
        key("origin", &object); string(event.origin.rawValue)
        if let span = event.errorSpan {
            key("errorSpan", &object)
            write(span)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func write(_ git: GitLink) {
        var object = ObjectState()
        bytes.append(UInt8(ascii: "{"))
        key("repositoryURL", &object); string(git.repositoryURL)
        optional("commitSHA", git.commitSHA, &object)
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func write(_ span: ErrorEvent.ErrorSpan) {
        var object = ObjectState()
        bytes.append(UInt8(ascii: "{"))
        key("spanID", &object); string(span.spanID)
        optional("operation", span.operation, &object)
        optional("resource", span.resource, &object)
        key("service", &object); string(span.service)
        bytes.append(UInt8(ascii: "}"))
    }

    /// `raw` is left out when it repeats `event.errorStack` (it nearly always does): ``StoredEventPayload`` restores it.
    private mutating func write(_ trace: StackTrace, rawIsErrorStack: Bool) {
        var object = ObjectState()
        bytes.append(UInt8(ascii: "{"))
        key("language", &object); string(trace.language.rawValue)
        key("exceptions", &object)
        bytes.append(UInt8(ascii: "["))
        for (index, exception) in trace.exceptions.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var exceptionObject = ObjectState()
            bytes.append(UInt8(ascii: "{"))
            optional("type", exception.type, &exceptionObject)
            optional("message", exception.message, &exceptionObject)
            key("frames", &exceptionObject)
            bytes.append(UInt8(ascii: "["))
            for (frameIndex, frame) in exception.frames.enumerated() {
                if frameIndex > 0 { bytes.append(UInt8(ascii: ",")) }
                write(frame)
            }
            bytes.append(UInt8(ascii: "]"))
            key("relation", &exceptionObject); string(exception.relation.rawValue)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
        if !rawIsErrorStack {
            key("raw", &object); string(trace.raw)
        }
        key("warnings", &object); stringArray(trace.warnings)
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func write(_ frame: Frame) {
        var object = ObjectState()
        bytes.append(UInt8(ascii: "{"))
        optional("function", frame.function, &object)
        optional("module", frame.module, &object)
        optional("file", frame.file, &object)
        if let line = frame.line { key("line", &object); integer(Int64(line)) }
        if let column = frame.column { key("column", &object); integer(Int64(column)) }
        key("inApp", &object); boolean(frame.inApp)
        optional("context", frame.context, &object)
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func write(_ fingerprint: Fingerprint) {
        var object = ObjectState()
        bytes.append(UInt8(ascii: "{"))
        key("value", &object); string(fingerprint.value)
        key("version", &object); integer(Int64(fingerprint.version))
        key("parts", &object); stringArray(fingerprint.parts)
        key("overridden", &object); boolean(fingerprint.overridden)
        bytes.append(UInt8(ascii: "}"))
    }

    // MARK: Parts (schema v6)

    /// What varies from one event to the next; the span's ids are columns of the event row.
    static func encodeOwn(_ event: ErrorEvent) -> Data {
        var writer = EventJSON()
        writer.bytes.reserveCapacity(event.errorMessage.utf8.count + 96)
        var object = ObjectState()
        writer.bytes.append(UInt8(ascii: "{"))
        writer.key("startNanos", &object); writer.integer(event.startNanos)
        writer.key("durationNanos", &object); writer.integer(event.durationNanos)
        writer.key("errorMessage", &object); writer.string(event.errorMessage)
        if let span = event.errorSpan {
            writer.key("errorSpan", &object)
            writer.write(span)
        }
        writer.bytes.append(UInt8(ascii: "}"))
        return Data(writer.bytes)
    }

    /// The error.stack and its parsed trace: shared by every event of a flood. Compact, as the part is stored per
    /// distinct trace: the frames' strings (files and modules repeat within a trace) are kept once in `strings`,
    /// and each frame is an array `[function, module, file, line, column, inApp, context]` of indexes into it
    /// (null when absent). `raw` is left out when it repeats the error.stack. Read by ``StoredEventParts``.
    static func encodeStack(_ grouped: GroupedEvent) -> Data {
        let trace = grouped.stackTrace
        var writer = EventJSON()
        writer.bytes.reserveCapacity(grouped.event.errorStack.utf8.count * 2 + 256)
        var strings: [String] = []
        var indexes: [String: Int] = [:]
        func index(_ value: String?) -> Int? {
            guard let value else { return nil }
            if let known = indexes[value] { return known }
            indexes[value] = strings.count
            strings.append(value)
            return strings.count - 1
        }
        var frames: [[[Int?]]] = []
        for exception in trace.exceptions {
            frames.append(exception.frames.map { frame in
                [index(frame.function), index(frame.module), index(frame.file), frame.line, frame.column, frame.inApp ? 1 : 0, index(frame.context)]
            })
        }
        var object = ObjectState()
        writer.bytes.append(UInt8(ascii: "{"))
        writer.key("errorStack", &object); writer.string(grouped.event.errorStack)
        writer.key("language", &object); writer.string(trace.language.rawValue)
        writer.key("strings", &object); writer.stringArray(strings)
        writer.key("exceptions", &object)
        writer.bytes.append(UInt8(ascii: "["))
        for (exceptionIndex, exception) in trace.exceptions.enumerated() {
            if exceptionIndex > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            var exceptionObject = ObjectState()
            writer.bytes.append(UInt8(ascii: "{"))
            writer.optional("type", exception.type, &exceptionObject)
            writer.optional("message", exception.message, &exceptionObject)
            writer.key("relation", &exceptionObject); writer.string(exception.relation.rawValue)
            writer.key("frames", &exceptionObject)
            writer.bytes.append(UInt8(ascii: "["))
            for (frameIndex, fields) in frames[exceptionIndex].enumerated() {
                if frameIndex > 0 { writer.bytes.append(UInt8(ascii: ",")) }
                writer.bytes.append(UInt8(ascii: "["))
                for (fieldIndex, field) in fields.enumerated() {
                    if fieldIndex > 0 { writer.bytes.append(UInt8(ascii: ",")) }
                    if let field { writer.integer(Int64(field)) } else { writer.bytes.append(contentsOf: "null".utf8) }
                }
                writer.bytes.append(UInt8(ascii: "]"))
            }
            writer.bytes.append(UInt8(ascii: "]"))
            writer.bytes.append(UInt8(ascii: "}"))
        }
        writer.bytes.append(UInt8(ascii: "]"))
        if trace.raw != grouped.event.errorStack {
            writer.key("raw", &object); writer.string(trace.raw)
        }
        writer.key("warnings", &object); writer.stringArray(trace.warnings)
        writer.bytes.append(UInt8(ascii: "}"))
        return Data(writer.bytes)
    }

    /// What an issue's events nearly always share: where it ran, the error's type and its grouping.
    static func encodeShared(_ grouped: GroupedEvent) -> Data {
        let event = grouped.event
        var writer = EventJSON()
        writer.bytes.reserveCapacity(512)
        var object = ObjectState()
        writer.bytes.append(UInt8(ascii: "{"))
        writer.key("service", &object); writer.string(event.service)
        writer.optional("env", event.env, &object)
        writer.optional("version", event.version, &object)
        writer.optional("resource", event.resource, &object)
        writer.optional("operation", event.operation, &object)
        writer.key("errorType", &object); writer.string(event.errorType)
        writer.optional("language", event.language, &object)
        writer.optional("fingerprintOverride", event.fingerprintOverride, &object)
        if let git = event.git {
            writer.key("git", &object)
            writer.write(git)
        }
        writer.key("origin", &object); writer.string(event.origin.rawValue)
        writer.key("normalizedMessage", &object); writer.string(grouped.normalizedMessage)
        writer.key("fingerprint", &object); writer.write(grouped.fingerprint)
        writer.bytes.append(UInt8(ascii: "}"))
        return Data(writer.bytes)
    }

    /// A tag map with its keys sorted, so that equal maps give equal bytes in every process.
    static func encodeTags(_ tags: [String: String]) -> Data {
        var writer = EventJSON()
        writer.dictionary(tags, sorted: true)
        return Data(writer.bytes)
    }

    /// Metrics with their keys sorted (non-finite values left out, as in the whole-event JSON).
    static func encodeMetrics(_ metrics: [String: Double]) -> Data {
        var writer = EventJSON()
        writer.metrics(metrics, sorted: true)
        return Data(writer.bytes)
    }

    // MARK: Primitives

    /// Whether the object being written already has a member (so the next one needs a comma).
    private struct ObjectState {
        var hasMember = false
    }

    private mutating func key(_ name: StaticString, _ object: inout ObjectState) {
        if object.hasMember { bytes.append(UInt8(ascii: ",")) }
        object.hasMember = true
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func optional(_ name: StaticString, _ value: String?, _ object: inout ObjectState) {
        guard let value else { return }
        key(name, &object)
        string(value)
    }

    private mutating func integer(_ value: Int64) {
        bytes.append(contentsOf: String(value).utf8)
    }

    private mutating func boolean(_ value: Bool) {
        let text: StaticString = value ? "true" : "false"
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func stringArray(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func dictionary(_ values: [String: String], sorted: Bool = false) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in sorted ? values.sorted(by: { $0.key < $1.key }) : Array(values) {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            string(key)
            bytes.append(UInt8(ascii: ":"))
            string(value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Non-finite values have no JSON form (JSONEncoder would throw): they are left out.
    private mutating func metrics(_ values: [String: Double], sorted: Bool = false) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in sorted ? values.sorted(by: { $0.key < $1.key }) : Array(values) where value.isFinite {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            string(key)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: value.description.utf8)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                }
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]])
                }
            }
            if runStart < utf8.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
