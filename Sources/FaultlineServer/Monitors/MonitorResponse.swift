import FaultlineCore
import FaultlineMonitors
import FaultlineStore
import Foundation

/// A monitor as the API and the CLI show it. Secrets are never shown: `hasSecret`, `hasRoutingKey`, and a
/// Slack URL (whose path is its token) cut to its host.
public struct MonitorResponse: Codable, Sendable, Hashable {
    public struct Threshold: Codable, Sendable, Hashable {
        public var count: Int
        /// `5m`, `1h`.
        public var window: String
        public var per: String
    }

    public struct Channel: Codable, Sendable, Hashable {
        public var type: String
        public var url: String?
        public var hasSecret: Bool
        public var hasRoutingKey: Bool
    }

    public var id: Int64
    public var name: String
    public var kind: String
    public var query: String
    public var threshold: Threshold?
    public var channel: Channel
    public var renotify: String?
    public var mutedUntil: Date?
    /// `active`, `muted` or `disabled` (the channel answered 410).
    public var state: String
    public var disabledReason: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Notifications waiting to be sent or retried.
    public var pending: Int
    public var lastDelivery: DeliveryAttempt?

    public init(_ monitor: Monitor, pending: Int = 0, lastDelivery: DeliveryAttempt? = nil, now: Date = Date()) {
        id = monitor.id
        name = monitor.name
        kind = monitor.kind.rawValue
        query = monitor.query
        threshold = monitor.threshold.map { Threshold(count: $0.count, window: DurationText.text($0.window), per: $0.per.rawValue) }
        var url = monitor.channel.url
        if monitor.channel.type == .slack, let text = url, let components = URLComponents(string: text), let scheme = components.scheme, let host = components.host {
            url = "\(scheme)://\(host)/…"
        }
        channel = Channel(type: monitor.channel.type.rawValue, url: url, hasSecret: monitor.channel.secret != nil, hasRoutingKey: monitor.channel.routingKey != nil)
        renotify = monitor.renotify.map(DurationText.text)
        mutedUntil = monitor.mutedUntil
        state = monitor.disabledAt != nil ? "disabled" : monitor.isMuted(at: now) ? "muted" : "active"
        disabledReason = monitor.disabledReason
        createdAt = monitor.createdAt
        updatedAt = monitor.updatedAt
        self.pending = pending
        self.lastDelivery = lastDelivery
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(query, forKey: .query)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(channel, forKey: .channel)
        try container.encode(renotify, forKey: .renotify)
        try container.encode(mutedUntil, forKey: .mutedUntil)
        try container.encode(state, forKey: .state)
        try container.encode(disabledReason, forKey: .disabledReason)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(pending, forKey: .pending)
        try container.encode(lastDelivery, forKey: .lastDelivery)
    }
}

/// `{"monitor": …}`: one monitor.
public struct MonitorEnvelope: Codable, Sendable, Hashable {
    public var monitor: MonitorResponse

    public init(monitor: MonitorResponse) {
        self.monitor = monitor
    }
}

/// `GET /api/v1/monitors`.
public struct MonitorListResponse: Codable, Sendable, Hashable {
    public var monitors: [MonitorResponse]

    public init(monitors: [MonitorResponse]) {
        self.monitors = monitors
    }
}

/// `GET /api/v1/monitors/{id}/deliveries`: attempts, newest first.
public struct DeliveryListResponse: Codable, Sendable, Hashable {
    public var deliveries: [DeliveryAttempt]
}

/// `POST /api/v1/monitors/{id}/test`: the queued notification.
public struct TestNotificationResponse: Codable, Sendable, Hashable {
    public var notification: QueuedNotification

    public struct QueuedNotification: Codable, Sendable, Hashable {
        public var id: String
        public var type: String
        public var issueID: Int64?
    }
}

/// `GET /api/v1/issues/{id}/notifications`: which monitors notified about an issue.
public struct IssueNotificationListResponse: Codable, Sendable, Hashable {
    public var notifications: [IssueNotification]
}

extension MonitorResponse {
    /// Every monitor with its pending count and last delivery, in one pass over the store.
    public static func all(from store: IssueStore) async throws -> [MonitorResponse] {
        let monitors = try await store.monitors()
        let pending = try await store.pendingNotificationCounts()
        let last = try await store.lastDeliveries()
        return monitors.map { MonitorResponse($0, pending: pending[$0.id] ?? 0, lastDelivery: last[$0.id]) }
    }

    public static func one(_ monitor: Monitor, from store: IssueStore) async throws -> MonitorResponse {
        let pending = try await store.pendingNotificationCounts()
        let last = try await store.lastDeliveries()
        return MonitorResponse(monitor, pending: pending[monitor.id] ?? 0, lastDelivery: last[monitor.id])
    }
}
