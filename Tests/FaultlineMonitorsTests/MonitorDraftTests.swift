import FaultlineStore
import Foundation
import Testing

@testable import FaultlineMonitors

/// Monitor definitions as the API receives them: every bad field is named.
@Suite("Monitor definitions")
struct MonitorDraftTests {
    static let allowList = NotifyAllowList(patterns: ["https://*", "http://127.0.0.1:*"])

    static func error(_ json: String) -> MonitorsError? {
        do throws(MonitorsError) {
            _ = try MonitorDraft(json: Data(json.utf8)).monitor(allowList: allowList)
            return nil
        } catch {
            return error
        }
    }

    @Test("a complete threshold monitor", arguments: [0])
    func thresholdMonitor(_: Int) throws {
        let json = #"""
            {"name": " checkout storm ", "kind": "threshold", "query": "service:checkout env:prod",
             "threshold": {"count": 100, "window": "5m", "per": "query"}, "renotify": "30m",
             "channel": {"type": "webhook", "url": "https://hooks.example.com/x", "secret": "whsec_abc"}, "mutedUntil": null}
            """#
        let monitor = try MonitorDraft(json: Data(json.utf8)).monitor(allowList: Self.allowList)
        #expect(monitor.name == "checkout storm")
        #expect(monitor.kind == .threshold)
        #expect(monitor.threshold == Monitor.Threshold(count: 100, window: 300, per: .query))
        #expect(monitor.renotify == 1800)
        #expect(monitor.channel == Monitor.Channel(type: .webhook, url: "https://hooks.example.com/x", secret: "whsec_abc"))
        #expect(monitor.mutedUntil == nil)
    }

    @Test("each bad field is named", arguments: [
        (#"{"kind": "new_issue", "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "name"),
        (#"{"name": "x", "kind": "sometimes", "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "kind"),
        (#"{"name": "x", "kind": "new_issue", "query": "nosuchkey:1", "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "query"),
        (#"{"name": "x", "kind": "threshold", "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "threshold"),
        (#"{"name": "x", "kind": "threshold", "threshold": {"count": 0, "window": "5m"}, "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "threshold.count"),
        (#"{"name": "x", "kind": "threshold", "threshold": {"count": "ten", "window": "5m"}, "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "threshold.count"),
        (#"{"name": "x", "kind": "threshold", "threshold": {"count": 5, "window": "90s"}, "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "threshold.window"),
        (#"{"name": "x", "kind": "threshold", "threshold": {"count": 5, "window": "5m", "per": "host"}, "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "threshold.per"),
        (#"{"name": "x", "kind": "new_issue", "threshold": {"count": 5}, "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "threshold"),
        (#"{"name": "x", "kind": "new_issue"}"#, "channel.type"),
        (#"{"name": "x", "kind": "new_issue", "channel": {"type": "email"}}"#, "channel.type"),
        (#"{"name": "x", "kind": "new_issue", "channel": {"type": "webhook"}}"#, "channel.url"),
        (#"{"name": "x", "kind": "new_issue", "channel": {"type": "webhook", "url": "http://example.com/"}}"#, "channel.url"),
        (#"{"name": "x", "kind": "new_issue", "channel": {"type": "pagerduty"}}"#, "channel.routingKey"),
        (#"{"name": "x", "kind": "new_issue", "channel": {"type": "slack", "url": "https://hooks.slack.com/x", "secret": "s"}}"#, "channel.secret"),
        (#"{"name": "x", "kind": "new_issue", "renotify": "often", "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "renotify"),
        (#"{"name": "x", "kind": "new_issue", "mutedUntil": "tomorrow", "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "mutedUntil"),
        (#"{"name": "x", "kind": "new_issue", "colour": "red", "channel": {"type": "webhook", "url": "https://a.example/"}}"#, "colour"),
        (#"[1, 2]"#, "body"),
    ])
    func namesBadField(json: String, field: String) {
        let error = Self.error(json)
        #expect(error?.field == field, "\(json): \(error?.reason ?? "accepted")")
        #expect(error?.reason.hasPrefix(field) == true || field == "body")
    }

    @Test("changing a monitor keeps what the change does not name; null clears")
    func patchSemantics() throws {
        var monitor = try MonitorDraft(json: Data(#"{"name": "a", "kind": "new_issue", "renotify": "1h", "mutedUntil": "2030-01-01T00:00:00Z", "channel": {"type": "webhook", "url": "https://a.example/", "secret": "s"}}"#.utf8))
            .monitor(allowList: Self.allowList)
        try MonitorDraft(json: Data(#"{"mutedUntil": null, "query": "env:prod"}"#.utf8)).apply(to: &monitor, allowList: Self.allowList)
        #expect(monitor.mutedUntil == nil)
        #expect(monitor.query == "env:prod")
        #expect(monitor.renotify == 3600)
        #expect(monitor.channel.secret == "s")
        try MonitorDraft(json: Data(#"{"channel": {"type": "pagerduty", "routingKey": "k"}}"#.utf8)).apply(to: &monitor, allowList: Self.allowList)
        #expect(monitor.channel == Monitor.Channel(type: .pagerduty, routingKey: "k"))
    }
}
