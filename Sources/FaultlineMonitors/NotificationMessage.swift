import FaultlineCore
import FaultlineStore
import Foundation

/// One notification rendered for its channel: the URL to POST to, the JSON body, and what success is.
public struct NotificationMessage: Sendable {
    public var url: String
    public var body: Data
    /// Sent as they are; the webhook signature headers are added per attempt (fresh timestamp).
    public var headers: [(String, String)]
    /// PagerDuty answers 202; the others any 2xx.
    public var signingSecret: String?

    /// The generic webhook body.
    struct WebhookBody: Encodable {
        struct MonitorRef: Encodable {
            var id: Int64
            var name: String
        }

        var type: String
        var id: String
        var timestamp: Date
        var monitor: MonitorRef
        var issue: Issue?
        var url: String?
        var topFrame: TopFrame?
        var count: Int?
        var window: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(id, forKey: .id)
            try container.encode(timestamp, forKey: .timestamp)
            try container.encode(monitor, forKey: .monitor)
            try container.encode(issue, forKey: .issue)
            try container.encode(url, forKey: .url)
            try container.encode(topFrame, forKey: .topFrame)
            try container.encodeIfPresent(count, forKey: .count)
            try container.encodeIfPresent(window, forKey: .window)
        }

        enum CodingKeys: String, CodingKey {
            case type, id, timestamp, monitor, issue, url, topFrame, count, window
        }
    }

    /// The API's JSON conventions: ISO 8601 dates, sorted keys.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Renders `notification` of `monitor` with the issue's facts; throws when the channel lacks its URL or key.
    public static func render(
        _ notification: OutboxNotification, monitor: Monitor, facts: NotificationFacts?, pagerDutyEventsURL: String, now: Date = Date()
    ) throws -> NotificationMessage {
        let window = monitor.threshold.map { DurationText.text($0.window) }
        switch monitor.channel.type {
        case .webhook:
            guard let url = monitor.channel.url else { throw MonitorsError.invalid("channel.url", "is not set") }
            let body = WebhookBody(
                type: notification.event.rawValue, id: notification.notificationID, timestamp: now,
                monitor: .init(id: monitor.id, name: monitor.name), issue: facts?.issue, url: facts?.url, topFrame: facts?.topFrame,
                count: notification.count, window: notification.event == .threshold ? window : nil)
            return NotificationMessage(url: url, body: try encoder.encode(body), headers: [("content-type", "application/json")], signingSecret: monitor.channel.secret)
        case .slack:
            guard let url = monitor.channel.url else { throw MonitorsError.invalid("channel.url", "is not set") }
            let body = SlackMessage(notification, monitor: monitor, facts: facts, window: window)
            return NotificationMessage(url: url, body: try encoder.encode(body), headers: [("content-type", "application/json")], signingSecret: nil)
        case .pagerduty:
            guard let key = monitor.channel.routingKey else { throw MonitorsError.invalid("channel.routingKey", "is not set") }
            let body = PagerDutyEvent(notification, monitor: monitor, routingKey: key, facts: facts, window: window, now: now)
            return NotificationMessage(
                url: monitor.channel.url ?? pagerDutyEventsURL, body: try encoder.encode(body), headers: [("content-type", "application/json")], signingSecret: nil)
        }
    }

    /// One line: what happened, to what.
    static func headline(_ notification: OutboxNotification, monitor: Monitor, facts: NotificationFacts?, window: String?) -> String {
        let what: String
        switch notification.event {
        case .newIssue: what = "New issue"
        case .regression: what = "Regression"
        case .threshold: what = "Threshold crossed (\(notification.count ?? 0) events in \(window ?? "?"))"
        case .test: what = "Test notification"
        case .resolved: what = "Resolved"
        }
        guard let issue = facts?.issue else { return "\(what) — monitor \(monitor.name)" }
        let place = issue.env.map { "\(issue.service) \($0)" } ?? issue.service
        return "\(what) in \(place): \(issue.errorType): \(issue.latestMessage ?? issue.message)"
    }

    /// The dedup key of a monitor's PagerDuty incident for an issue.
    public static func dedupKey(monitorID: Int64, issueID: Int64?) -> String {
        "faultline-monitor-\(monitorID)-issue-\(issueID ?? 0)"
    }
}

/// Slack's incoming-webhook message: `text` (notifications, fallbacks) and `blocks`.
struct SlackMessage: Encodable {
    struct Text: Encodable {
        var type: String
        var text: String
    }

    struct Block: Encodable {
        var type: String
        var text: Text?
        var elements: [Text]?
    }

    var text: String
    var blocks: [Block]

    init(_ notification: OutboxNotification, monitor: Monitor, facts: NotificationFacts?, window: String?) {
        let headline = NotificationMessage.headline(notification, monitor: monitor, facts: facts, window: window)
        text = facts?.url.map { "\(headline) <\($0)|open in Faultline>" } ?? headline
        var blocks = [Block(type: "section", text: Text(type: "mrkdwn", text: "*\(Self.escape(headline))*"), elements: nil)]
        if let frame = facts?.topFrame {
            var location = [frame.path, frame.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
            if let function = frame.function { location += " in \(function)" }
            var text = "`\(Self.escape(location))`"
            if let code = frame.code { text += "\n```\(Self.escape(code))```" }
            if let permalink = frame.permalink { text += "\n<\(permalink)|view at the deployed commit>" }
            blocks.append(Block(type: "section", text: Text(type: "mrkdwn", text: text), elements: nil))
        }
        var context = "Monitor *\(Self.escape(monitor.name))*"
        if let url = facts?.url { context += " · <\(url)|open in Faultline>" }
        blocks.append(Block(type: "context", text: nil, elements: [Text(type: "mrkdwn", text: context)]))
        self.blocks = blocks
    }

    /// Slack's three control characters.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// PagerDuty Events API v2: `trigger` for a notification, `resolve` when the issue is resolved.
struct PagerDutyEvent: Encodable {
    struct Payload: Encodable {
        var summary: String
        var source: String
        var severity: String
        var timestamp: Date
        var component: String?
        var group: String?
        var customDetails: CustomDetails

        enum CodingKeys: String, CodingKey {
            case summary, source, severity, timestamp, component, group
            case customDetails = "custom_details"
        }
    }

    struct CustomDetails: Encodable {
        var type: String
        var notificationId: String
        var monitor: String
        var issue: Issue?
        var topFrame: TopFrame?
        var count: Int?
        var window: String?
    }

    struct Link: Encodable {
        var href: String
        var text: String
    }

    var routingKey: String
    var eventAction: String
    var dedupKey: String
    var payload: Payload?
    var links: [Link]?
    var client: String?
    var clientURL: String?

    enum CodingKeys: String, CodingKey {
        case payload, links, client
        case routingKey = "routing_key"
        case eventAction = "event_action"
        case dedupKey = "dedup_key"
        case clientURL = "client_url"
    }

    init(_ notification: OutboxNotification, monitor: Monitor, routingKey: String, facts: NotificationFacts?, window: String?, now: Date) {
        self.routingKey = routingKey
        dedupKey = NotificationMessage.dedupKey(monitorID: monitor.id, issueID: notification.issueID)
        if notification.event == .resolved {
            eventAction = "resolve"
            return
        }
        eventAction = "trigger"
        let summary = NotificationMessage.headline(notification, monitor: monitor, facts: facts, window: window)
        payload = Payload(
            summary: String(summary.prefix(1024)), source: facts?.issue.service ?? "faultline", severity: notification.event == .test ? "info" : "error",
            timestamp: now, component: facts?.issue.culprit, group: facts?.issue.env,
            customDetails: CustomDetails(
                type: notification.event.rawValue, notificationId: notification.notificationID, monitor: monitor.name, issue: facts?.issue,
                topFrame: facts?.topFrame, count: notification.count, window: notification.event == .threshold ? window : nil))
        if let url = facts?.url {
            links = [Link(href: url, text: "Issue in Faultline")] + (facts?.topFrame?.permalink.map { [Link(href: $0, text: "Failing line at the deployed commit")] } ?? [])
            client = "Faultline"
            clientURL = url
        }
    }
}
