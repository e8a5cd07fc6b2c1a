import Foundation

/// A monitor: which issues it watches (`query`), what makes it fire (`kind`), and where it sends (`channel`).
///
/// Not `Codable` on purpose: the channel holds secrets (webhook secret, PagerDuty routing key); the API
/// has its own shape that only says whether they are set.
public struct Monitor: Sendable, Hashable {
    /// What makes a monitor fire.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An issue seen for the first time.
        case newIssue = "new_issue"
        /// A resolved issue that gets an event again (see ``IssueStore``'s regression rule).
        case regression
        /// Events matching the query exceed a count within a window.
        case threshold
    }

    /// The count a threshold monitor watches.
    public struct Threshold: Sendable, Hashable {
        /// What the count is taken over.
        public enum Scope: String, Sendable, Hashable, CaseIterable {
            /// Each matching issue on its own.
            case issue
            /// All matching issues together.
            case query
        }

        /// Fires when more than this many events arrive within `window`.
        public var count: Int
        /// Seconds; counted in whole minutes of receive time.
        public var window: TimeInterval
        public var per: Scope

        public init(count: Int, window: TimeInterval, per: Scope) {
            self.count = count
            self.window = window
            self.per = per
        }
    }

    /// Where notifications go.
    public struct Channel: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            case webhook
            case slack
            case pagerduty
        }

        public var type: Kind
        /// Webhook or Slack incoming-webhook URL; for PagerDuty an optional events URL (else the configured one).
        public var url: String?
        /// Webhook signing secret (Standard Webhooks: `whsec_` + base64, or any text).
        public var secret: String?
        /// PagerDuty Events API v2 integration key.
        public var routingKey: String?

        public init(type: Kind, url: String? = nil, secret: String? = nil, routingKey: String? = nil) {
            self.type = type
            self.url = url
            self.secret = secret
            self.routingKey = routingKey
        }
    }

    public var id: Int64
    public var name: String
    public var kind: Kind
    /// Issue query-language text (`service:checkout env:prod`); empty matches every issue.
    public var query: String
    public var threshold: Threshold?
    public var channel: Channel
    /// Seconds after which a still-firing threshold notifies again; nil never.
    public var renotify: TimeInterval?
    public var mutedUntil: Date?
    /// Set when the channel answered 410 Gone: nothing is sent until the monitor is updated.
    public var disabledAt: Date?
    public var disabledReason: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64 = 0, name: String, kind: Kind, query: String = "", threshold: Threshold? = nil, channel: Channel,
        renotify: TimeInterval? = nil, mutedUntil: Date? = nil, disabledAt: Date? = nil, disabledReason: String? = nil,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.query = query
        self.threshold = threshold
        self.channel = channel
        self.renotify = renotify
        self.mutedUntil = mutedUntil
        self.disabledAt = disabledAt
        self.disabledReason = disabledReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether the monitor is muted at `date`.
    public func isMuted(at date: Date) -> Bool {
        mutedUntil.map { $0 > date } ?? false
    }
}
