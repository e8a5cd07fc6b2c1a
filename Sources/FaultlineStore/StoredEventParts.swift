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

    private struct Stack: Decodable {
        var errorStack: String
        var stackTrace: StoredStackTrace
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
        let trace = stack.stackTrace
        return GroupedEvent(
            event: event,
            stackTrace: StackTrace(language: trace.language, exceptions: trace.exceptions, raw: trace.raw ?? stack.errorStack, warnings: trace.warnings),
            normalizedMessage: shared.normalizedMessage,
            fingerprint: shared.fingerprint
        )
    }
}
