import FaultlineCore
import Foundation
import GRDB

/// Decodes an event row of schema v6: the row's own JSON, its span ids and the `event_part` rows it refers to,
/// written by ``EventJSON``'s part encoders.
enum StoredEventParts {
    private struct Own: Decodable {
        var startNanos: Int64
        var durationNanos: Int64
        var errorMessage: String
        var errorSpan: ErrorEvent.ErrorSpan?
    }

    /// The compact stack part: frames as arrays of indexes into `strings` (see ``EventJSON/encodeStack(_:)``).
    private struct Stack: Decodable {
        struct Exception: Decodable {
            var type: String?
            var message: String?
            var relation: ExceptionTrace.Relation
            var frames: [CompactFrame]
        }

        struct CompactFrame: Decodable {
            var function: Int?
            var module: Int?
            var file: Int?
            var line: Int?
            var column: Int?
            var inApp: Bool
            var context: Int?

            init(from decoder: any Decoder) throws {
                var fields = try decoder.unkeyedContainer()
                func next() throws -> Int? {
                    if try fields.decodeNil() { return nil }
                    return try fields.decode(Int.self)
                }
                function = try next()
                module = try next()
                file = try next()
                line = try next()
                column = try next()
                inApp = try next() == 1
                context = try next()
            }
        }

        var errorStack: String
        var language: Language
        var strings: [String]
        var exceptions: [Exception]
        var raw: String?
        var warnings: [String]

        func stackTrace() throws -> StackTrace {
            func string(_ index: Int?) throws -> String? {
                guard let index else { return nil }
                guard strings.indices.contains(index) else {
                    throw StoreError(.corruptData, operation: "decode", detail: "a frame names a string the stack part does not hold")
                }
                return strings[index]
            }
            let exceptions = try self.exceptions.map { exception in
                ExceptionTrace(
                    type: exception.type, message: exception.message,
                    frames: try exception.frames.map { frame in
                        Frame(
                            function: try string(frame.function), module: try string(frame.module), file: try string(frame.file),
                            line: frame.line, column: frame.column, inApp: frame.inApp, context: try string(frame.context)
                        )
                    },
                    relation: exception.relation
                )
            }
            return StackTrace(language: language, exceptions: exceptions, raw: raw ?? errorStack, warnings: warnings)
        }
    }

    private struct Shared: Decodable {
        var service: String
        var env: String?
        var version: String?
        var resource: String?
        var operation: String?
        var errorType: String
        var language: String?
        var fingerprintOverride: String?
        var git: GitLink?
        var origin: ErrorEvent.Origin
        var normalizedMessage: String
        var fingerprint: Fingerprint
    }

    /// The event columns and parts a read selects (`FROM event`), as ``decode(_:decoder:)`` reads them.
    static let columns = """
        event.trace_id, event.span_id, event.payload,
        (SELECT data FROM event_part WHERE event_part.id = event.stack_part) AS stack_data,
        (SELECT data FROM event_part WHERE event_part.id = event.shared_part) AS shared_data,
        (SELECT data FROM event_part WHERE event_part.id = event.span_tags_part) AS span_tags_data,
        (SELECT data FROM event_part WHERE event_part.id = event.host_tags_part) AS host_tags_data,
        (SELECT data FROM event_part WHERE event_part.id = event.container_tags_part) AS container_tags_data,
        (SELECT data FROM event_part WHERE event_part.id = event.metrics_part) AS metrics_data
        """

    static func decode(_ row: Row, decoder: JSONDecoder) throws -> GroupedEvent {
        func data(_ column: String) throws -> Data {
            guard let value: Data = row[column] else {
                throw StoreError(.corruptData, operation: "decode", detail: "an event part is missing")
            }
            return value
        }
        let own = try decoder.decode(Own.self, from: data("payload"))
        let stack = try decoder.decode(Stack.self, from: data("stack_data"))
        let shared = try decoder.decode(Shared.self, from: data("shared_data"))
        let event = ErrorEvent(
            traceID: row["trace_id"], spanID: row["span_id"], service: shared.service, env: shared.env, version: shared.version,
            resource: shared.resource, operation: shared.operation, startNanos: own.startNanos, durationNanos: own.durationNanos,
            errorType: shared.errorType, errorMessage: own.errorMessage, errorStack: stack.errorStack, language: shared.language,
            fingerprintOverride: shared.fingerprintOverride,
            spanTags: try decoder.decode([String: String].self, from: data("span_tags_data")),
            hostTags: try decoder.decode([String: String].self, from: data("host_tags_data")),
            containerTags: try decoder.decode([String: String].self, from: data("container_tags_data")),
            metrics: try decoder.decode([String: Double].self, from: data("metrics_data")),
            git: shared.git, origin: shared.origin, errorSpan: own.errorSpan
        )
        return GroupedEvent(
            event: event,
            stackTrace: try stack.stackTrace(),
            normalizedMessage: shared.normalizedMessage,
            fingerprint: shared.fingerprint
        )
    }
}
