import FaultlineCore
import Foundation

/// A stored stack trace: `raw` is left out when it repeats the event's error.stack.
struct StoredStackTrace: Decodable {
    var language: Language
    var exceptions: [ExceptionTrace]
    var raw: String?
    var warnings: [String]
}

/// Decodes what ``EventJSON`` stored: a `GroupedEvent` whose `stackTrace.raw` may be left out as a repeat of `event.errorStack`
/// (the whole-event JSON of schemas before v6, read by the v6 migration).
struct StoredEventPayload: Decodable {
    private var event: ErrorEvent
    private var stackTrace: StoredStackTrace
    private var normalizedMessage: String
    private var fingerprint: Fingerprint

    var groupedEvent: GroupedEvent {
        GroupedEvent(
            event: event,
            stackTrace: StackTrace(language: stackTrace.language, exceptions: stackTrace.exceptions, raw: stackTrace.raw ?? event.errorStack, warnings: stackTrace.warnings),
            normalizedMessage: normalizedMessage,
            fingerprint: fingerprint
        )
    }

    static func decode(_ data: Data, using decoder: JSONDecoder) throws -> GroupedEvent {
        try decoder.decode(StoredEventPayload.self, from: data).groupedEvent
    }
}
