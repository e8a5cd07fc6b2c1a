import Foundation

/// One notification in the durable outbox: written in the transaction that caused it, sent by the delivery worker.
public struct OutboxNotification: Sendable, Hashable {
    /// What happened; the raw value is the webhook body's `type`.
    public enum Event: String, Sendable, Hashable, CaseIterable {
        case newIssue = "issue.new"
        case regression = "issue.regression"
        case threshold = "monitor.threshold"
        case test = "monitor.test"
        /// The issue was resolved: PagerDuty gets `resolve` for the incident a trigger opened.
        case resolved = "issue.resolved"
    }

    /// Where the notification is in its life.
    public enum State: String, Sendable, Hashable, CaseIterable {
        case pending
        case delivered
        /// Given up: retries exhausted, the channel is gone (410) or the monitor is disabled.
        case failed
    }

    /// The outbox row.
    public var id: Int64
    /// Stable per notification, the same on every retry (`webhook-id`, the body's `id`).
    public var notificationID: String
    public var monitorID: Int64
    /// nil for a test notification without an issue.
    public var issueID: Int64?
    public var event: Event
    public var state: State
    /// For thresholds: events counted in the window when it fired.
    public var count: Int?
    public var createdAt: Date
    public var dueAt: Date
    /// Sending attempts made so far.
    public var attempts: Int

    public init(
        id: Int64, notificationID: String, monitorID: Int64, issueID: Int64?, event: Event, state: State = .pending,
        count: Int? = nil, createdAt: Date, dueAt: Date, attempts: Int = 0
    ) {
        self.id = id
        self.notificationID = notificationID
        self.monitorID = monitorID
        self.issueID = issueID
        self.event = event
        self.state = state
        self.count = count
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.attempts = attempts
    }
}

/// One sending attempt of a notification, as the delivery log shows it.
public struct DeliveryAttempt: Sendable, Hashable, Codable {
    public var id: Int64
    public var notificationID: String
    public var monitorID: Int64
    public var issueID: Int64?
    /// The notification's `type`.
    public var type: String
    /// 1 for the first try.
    public var attempt: Int
    public var at: Date
    /// The receiver's HTTP status; nil when no answer came (refused, timed out).
    public var statusCode: Int?
    /// Why the attempt failed, without secrets.
    public var error: String?
    public var latencyMillis: Double
    /// The notification's state after this attempt: `delivered`, `pending` (a retry is due) or `failed`.
    public var outcome: String

    public init(
        id: Int64, notificationID: String, monitorID: Int64, issueID: Int64?, type: String, attempt: Int, at: Date,
        statusCode: Int?, error: String?, latencyMillis: Double, outcome: String
    ) {
        self.id = id
        self.notificationID = notificationID
        self.monitorID = monitorID
        self.issueID = issueID
        self.type = type
        self.attempt = attempt
        self.at = at
        self.statusCode = statusCode
        self.error = error
        self.latencyMillis = latencyMillis
        self.outcome = outcome
    }
}

/// What became of one attempt, as the worker records it.
public enum DeliveryResult: Sendable, Hashable {
    /// 2xx: never sent again.
    case delivered
    /// Try again at the date.
    case retry(at: Date)
    /// Give up on this notification.
    case failed
    /// 410 Gone: give up and disable the monitor's channel, with the reason shown.
    case channelGone(reason: String)
}

/// A monitor that notified about an issue, for the issue page.
public struct IssueNotification: Sendable, Hashable, Codable {
    public var monitorID: Int64
    public var monitorName: String
    public var notificationID: String
    public var type: String
    public var state: String
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(monitorID: Int64, monitorName: String, notificationID: String, type: String, state: String, createdAt: Date, deliveredAt: Date?) {
        self.monitorID = monitorID
        self.monitorName = monitorName
        self.notificationID = notificationID
        self.type = type
        self.state = state
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}
