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
            var gitObject = ObjectState()
            bytes.append(UInt8(ascii: "{"))
            key("repositoryURL", &gitObject); string(git.repositoryURL)
            optional("commitSHA", git.commitSHA, &gitObject)
            bytes.append(UInt8(ascii: "}"))
        }
        key("origin", &object); string(event.origin.rawValue)
        if let span = event.errorSpan {
            key("errorSpan", &object)
            var spanObject = ObjectState()
            bytes.append(UInt8(ascii: "{"))
            key("spanID", &spanObject); string(span.spanID)
            optional("operation", span.operation, &spanObject)
            optional("resource", span.resource, &spanObject)
            key("service", &spanObject); string(span.service)
            bytes.append(UInt8(ascii: "}"))
        }
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

    private mutating func dictionary(_ values: [String: String]) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in values {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            string(key)
            bytes.append(UInt8(ascii: ":"))
            string(value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Non-finite values have no JSON form (JSONEncoder would throw): they are left out.
    private mutating func metrics(_ values: [String: Double]) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in values where value.isFinite {
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
