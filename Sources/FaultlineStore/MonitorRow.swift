import Foundation
import GRDB

/// Reading monitors out of rows, and the columns they are written to.
enum MonitorRow {
    static let columns = """
        id, name, kind, query, threshold_count, threshold_window, threshold_per, channel_type, channel_url, \
        channel_secret, routing_key, renotify, muted_until, disabled_at, disabled_reason, created_at, updated_at
        """

    /// ``columns`` without `id`: ``values(_:)`` followed by `created_at`, `updated_at`.
    static let insertColumns = """
        name, kind, query, threshold_count, threshold_window, threshold_per, channel_type, channel_url, \
        channel_secret, routing_key, renotify, muted_until, disabled_at, disabled_reason, created_at, updated_at
        """

    static func decode(_ row: Row, operation: String) throws -> Monitor {
        let kindText: String = row["kind"]
        let channelText: String = row["channel_type"]
        guard let kind = Monitor.Kind(rawValue: kindText), let channelType = Monitor.Channel.Kind(rawValue: channelText) else {
            throw StoreError(.corruptData, operation: operation, detail: "unknown monitor kind or channel in database")
        }
        var threshold: Monitor.Threshold?
        if let count: Int = row["threshold_count"], let window: Int64 = row["threshold_window"] {
            let perText: String = row["threshold_per"] ?? Monitor.Threshold.Scope.issue.rawValue
            threshold = Monitor.Threshold(count: count, window: TimeInterval(window) / 1000, per: Monitor.Threshold.Scope(rawValue: perText) ?? .issue)
        }
        let renotify: Int64? = row["renotify"]
        let mutedUntil: Int64? = row["muted_until"]
        let disabledAt: Int64? = row["disabled_at"]
        return Monitor(
            id: row["id"], name: row["name"], kind: kind, query: row["query"], threshold: threshold,
            channel: Monitor.Channel(type: channelType, url: row["channel_url"], secret: row["channel_secret"], routingKey: row["routing_key"]),
            renotify: renotify.map { TimeInterval($0) / 1000 }, mutedUntil: mutedUntil.map(StoreTime.date(millis:)),
            disabledAt: disabledAt.map(StoreTime.date(millis:)), disabledReason: row["disabled_reason"],
            createdAt: StoreTime.date(millis: row["created_at"]), updatedAt: StoreTime.date(millis: row["updated_at"])
        )
    }

    /// The values of every column but `id`, `created_at` and `updated_at`, in ``columns`` order.
    static func values(_ monitor: Monitor) -> StatementArguments {
        [
            monitor.name, monitor.kind.rawValue, monitor.query, monitor.threshold?.count,
            monitor.threshold.map { Int64(($0.window * 1000).rounded()) }, monitor.threshold?.per.rawValue,
            monitor.channel.type.rawValue, monitor.channel.url, monitor.channel.secret, monitor.channel.routingKey,
            monitor.renotify.map { Int64(($0 * 1000).rounded()) }, monitor.mutedUntil.map(StoreTime.millis),
            monitor.disabledAt.map(StoreTime.millis), monitor.disabledReason,
        ]
    }

    /// Marks the monitor list changed, for every process caching it (``MonitorCache``).
    static func bumpRevision(_ db: Database) throws {
        try db.execute(sql: "UPDATE monitor_revision SET token = random() WHERE id = 1")
    }
}
