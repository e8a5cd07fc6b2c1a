import Foundation

/// Dates as the schema stores them: INTEGER milliseconds since 1970.
enum StoreTime {
    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func date(millis: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }

    /// The hour bucket (hours since 1970) of a time in milliseconds.
    static func hour(millis: Int64) -> Int64 {
        millis >= 0 ? millis / 3_600_000 : (millis - 3_599_999) / 3_600_000
    }

    static func date(hour: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(hour) * 3600)
    }

    /// When an event happened: the span start, or the receive time for spans without one.
    static func occurredMillis(_ startNanos: Int64, receivedMillis: Int64) -> Int64 {
        startNanos > 0 ? startNanos / 1_000_000 : receivedMillis
    }
}
