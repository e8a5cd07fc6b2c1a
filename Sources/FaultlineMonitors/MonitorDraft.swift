import FaultlineCore
import FaultlineStore
import Foundation

/// A monitor as a client writes it (the API's JSON body, the CLI's options): every field optional, so
/// the same value creates a monitor (required fields checked) or changes one (present fields replace).
public struct MonitorDraft: Sendable, Hashable {
    /// A field that may be absent (keep), null (clear) or set.
    public enum Field<Value: Sendable & Hashable>: Sendable, Hashable {
        case absent
        case null
        case value(Value)
    }

    public var name: String?
    public var kind: String?
    public var query: String?
    public var thresholdCount: Int?
    public var thresholdWindow: String?
    public var thresholdPer: String?
    public var channelType: String?
    public var channelURL: Field<String> = .absent
    public var channelSecret: Field<String> = .absent
    public var channelRoutingKey: Field<String> = .absent
    public var renotify: Field<String> = .absent
    public var mutedUntil: Field<Date> = .absent

    public init() {}

    /// Reads the API's body: `{"name", "kind", "query", "threshold": {"count", "window", "per"},
    /// "channel": {"type", "url", "secret", "routingKey"}, "renotify", "mutedUntil"}`.
    public init(json data: Data) throws(MonitorsError) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw MonitorsError(.invalidField, "body must be a JSON object", field: "body")
        }
        let known: Set<String> = ["name", "kind", "query", "threshold", "channel", "renotify", "mutedUntil"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw MonitorsError.invalid(unknown, "unknown field")
        }
        name = try Self.string(object, "name", path: "name")
        kind = try Self.string(object, "kind", path: "kind")
        query = try Self.string(object, "query", path: "query")
        if let threshold = object["threshold"], !(threshold is NSNull) {
            guard let threshold = threshold as? [String: Any] else { throw MonitorsError.invalid("threshold", "must be an object") }
            if let count = threshold["count"] {
                guard !(count is String), let number = count as? NSNumber, let value = Int(exactly: number.doubleValue) else { throw MonitorsError.invalid("threshold.count", "must be an integer") }
                thresholdCount = value
            }
            thresholdWindow = try Self.string(threshold, "window", path: "threshold.window")
            thresholdPer = try Self.string(threshold, "per", path: "threshold.per")
        }
        if let channel = object["channel"], !(channel is NSNull) {
            guard let channel = channel as? [String: Any] else { throw MonitorsError.invalid("channel", "must be an object") }
            channelType = try Self.string(channel, "type", path: "channel.type")
            channelURL = try Self.field(channel, "url", path: "channel.url")
            channelSecret = try Self.field(channel, "secret", path: "channel.secret")
            channelRoutingKey = try Self.field(channel, "routingKey", path: "channel.routingKey")
        }
        renotify = try Self.field(object, "renotify", path: "renotify")
        switch try Self.field(object, "mutedUntil", path: "mutedUntil") {
        case .absent: mutedUntil = .absent
        case .null: mutedUntil = .null
        case .value(let text):
            guard let date = Self.date(text) else { throw MonitorsError.invalid("mutedUntil", "must be an ISO 8601 date such as 2026-12-03T18:00:00Z") }
            mutedUntil = .value(date)
        }
    }

    /// A new monitor from this draft; throws naming the first missing or bad field.
    public func monitor(allowList: NotifyAllowList, now: Date = Date()) throws(MonitorsError) -> Monitor {
        guard name != nil else { throw MonitorsError.invalid("name", "is required") }
        guard kind != nil else { throw MonitorsError.invalid("kind", "is required (new_issue, regression or threshold)") }
        guard channelType != nil else { throw MonitorsError.invalid("channel.type", "is required (webhook, slack or pagerduty)") }
        var monitor = Monitor(name: "", kind: .newIssue, channel: Monitor.Channel(type: .webhook), createdAt: now, updatedAt: now)
        try apply(to: &monitor, allowList: allowList)
        return monitor
    }

    /// Applies the present fields to an existing monitor and checks the result as a whole.
    public func apply(to monitor: inout Monitor, allowList: NotifyAllowList) throws(MonitorsError) {
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 200 else { throw MonitorsError.invalid("name", "must be 1 to 200 characters") }
            monitor.name = trimmed
        }
        if let kind {
            guard let value = Monitor.Kind(rawValue: kind) else {
                throw MonitorsError.invalid("kind", "must be one of \(Monitor.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            monitor.kind = value
        }
        if let query {
            do {
                _ = try IssueQuery(parsing: query)
            } catch {
                throw MonitorsError.invalid("query", "\(error)")
            }
            monitor.query = query
        }
        if thresholdCount != nil || thresholdWindow != nil || thresholdPer != nil {
            var threshold = monitor.threshold ?? Monitor.Threshold(count: 0, window: 0, per: .issue)
            if let thresholdCount {
                guard thresholdCount >= 1 else { throw MonitorsError.invalid("threshold.count", "must be at least 1") }
                threshold.count = thresholdCount
            }
            if let thresholdWindow {
                guard let seconds = DurationText.seconds(thresholdWindow), seconds >= 60, seconds <= 7 * 86400, seconds.truncatingRemainder(dividingBy: 60) == 0 else {
                    throw MonitorsError.invalid("threshold.window", "must be whole minutes from 1m to 7d, such as 5m or 1h")
                }
                threshold.window = seconds
            }
            if let thresholdPer {
                guard let per = Monitor.Threshold.Scope(rawValue: thresholdPer) else { throw MonitorsError.invalid("threshold.per", "must be issue or query") }
                threshold.per = per
            }
            monitor.threshold = threshold
        }
        if monitor.kind == .threshold {
            guard let threshold = monitor.threshold else { throw MonitorsError.invalid("threshold", "is required for a threshold monitor") }
            guard threshold.count >= 1 else { throw MonitorsError.invalid("threshold.count", "is required") }
            guard threshold.window > 0 else { throw MonitorsError.invalid("threshold.window", "is required") }
        } else if thresholdCount != nil || thresholdWindow != nil || thresholdPer != nil {
            throw MonitorsError.invalid("threshold", "is only for threshold monitors")
        } else {
            monitor.threshold = nil
        }
        if let channelType {
            guard let type = Monitor.Channel.Kind(rawValue: channelType) else {
                throw MonitorsError.invalid("channel.type", "must be one of \(Monitor.Channel.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if type != monitor.channel.type { monitor.channel = Monitor.Channel(type: type) }
        }
        Self.assign(channelURL, to: &monitor.channel.url)
        Self.assign(channelSecret, to: &monitor.channel.secret)
        Self.assign(channelRoutingKey, to: &monitor.channel.routingKey)
        switch monitor.channel.type {
        case .webhook, .slack:
            guard let url = monitor.channel.url else { throw MonitorsError.invalid("channel.url", "is required for a \(monitor.channel.type.rawValue) channel") }
            do throws(MonitorsError) {
                _ = try allowList.check(url)
            } catch {
                throw MonitorsError.invalid("channel.url", error.reason)
            }
            if monitor.channel.type == .slack, monitor.channel.secret != nil {
                throw MonitorsError.invalid("channel.secret", "is only for webhook channels")
            }
            monitor.channel.routingKey = nil
        case .pagerduty:
            guard let key = monitor.channel.routingKey, !key.isEmpty else { throw MonitorsError.invalid("channel.routingKey", "is required for a pagerduty channel") }
            if let url = monitor.channel.url {
                do throws(MonitorsError) {
                    _ = try allowList.check(url)
                } catch {
                    throw MonitorsError.invalid("channel.url", error.reason)
                }
            }
            monitor.channel.secret = nil
        }
        switch renotify {
        case .absent: break
        case .null: monitor.renotify = nil
        case .value(let text):
            guard let seconds = DurationText.seconds(text), seconds >= 1 else { throw MonitorsError.invalid("renotify", "must be a duration such as 30m or 1h") }
            monitor.renotify = seconds
        }
        switch mutedUntil {
        case .absent: break
        case .null: monitor.mutedUntil = nil
        case .value(let date): monitor.mutedUntil = date
        }
    }

    private static func assign(_ field: Field<String>, to value: inout String?) {
        switch field {
        case .absent: break
        case .null: value = nil
        case .value(let text): value = text.isEmpty ? nil : text
        }
    }

    private static func string(_ object: [String: Any], _ key: String, path: String) throws(MonitorsError) -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw MonitorsError.invalid(path, "must be a string") }
        return text
    }

    private static func field(_ object: [String: Any], _ key: String, path: String) throws(MonitorsError) -> Field<String> {
        guard let value = object[key] else { return .absent }
        if value is NSNull { return .null }
        guard let text = value as? String else { throw MonitorsError.invalid(path, "must be a string or null") }
        return .value(text)
    }

    /// ISO 8601 with or without fractional seconds.
    public static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
