import FaultlineMonitors
import FaultlineTestSupport
import Foundation
import Testing

/// Regressions, thresholds with renotify, muting and PagerDuty, with ddtrace traffic into the real server.
@Suite("Monitors: kinds and channels", .serialized)
struct MonitorKindsTests {
    @Test("resolve, then an event from a newer version → exactly one issue.regression")
    func regressionInNewerVersion() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        let server = try await FaultlineProcess.start(dataDirectory: directory.appendingPathComponent("data"))
        defer { Task { await server.stop() } }
        let regressions = try await server.createMonitor([
            "name": "back again", "kind": "regression", "query": "service:payments", "channel": ["type": "webhook", "url": receiver.url("/regression")],
        ])
        let marker = try await server.createMonitor(["name": "marker", "kind": "new_issue", "channel": ["type": "webhook", "url": receiver.url("/marker")]])

        try await MonitorHarness.tracerErrors(port: server.port, service: "payments", version: "1.0.0", count: 1, sameError: true)
        let issueID = try #require(try await server.issues().first?["id"] as? Int)
        _ = try await server.json("PATCH", "/api/v1/issues/\(issueID)", ["status": "resolved"])
        // Old instances of the resolved version still failing are not a regression.
        try await MonitorHarness.tracerErrors(port: server.port, service: "payments", version: "1.0.0", count: 1, sameError: true)
        try await MonitorHarness.tracerErrors(port: server.port, service: "payments", version: "1.1.0", count: 2, sameError: true)
        let received = try await receiver.waitForDelivered("/regression", count: 1)
        // A later new issue is delivered after everything above was committed; still one regression.
        try await MonitorHarness.tracerErrors(port: server.port, service: "payments", version: "1.1.0", count: 1, first: 7)
        _ = try await receiver.waitForDelivered("/marker", count: 2)
        try await MonitorHarness.eventually("nothing pending") { (try await server.monitor(regressions)["pending"] as? Int) == 0 }
        #expect(await receiver.requests("/regression").count == 1)
        let body = try #require(received.first?.json)
        #expect(body["type"] as? String == "issue.regression")
        let issue = try #require(body["issue"] as? [String: Any])
        #expect(issue["id"] as? Int == issueID)
        #expect(issue["isRegression"] as? Bool == true)
        #expect(issue["regressedInVersion"] as? String == "1.1.0")
        #expect(try await server.monitor(marker)["state"] as? String == "active")
    }

    @Test("a threshold crossed → one monitor.threshold; renotified after renotify, not before")
    func thresholdAndRenotify() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        let server = try await FaultlineProcess.start(dataDirectory: directory.appendingPathComponent("data"))
        defer { Task { await server.stop() } }
        let renotify = 4.0
        let monitorID = try await server.createMonitor([
            "name": "storm", "kind": "threshold", "query": "service:search env:test",
            "threshold": ["count": 3, "window": "5m", "per": "issue"], "renotify": "4s",
            "channel": ["type": "webhook", "url": receiver.url("/storm")],
        ])
        // Three events: not more than three, nothing fires (the evaluator runs every 0.5 s meanwhile).
        try await MonitorHarness.tracerErrors(port: server.port, service: "search", count: 3, sameError: true)
        // Another service's errors do not count towards the query's.
        try await MonitorHarness.tracerErrors(port: server.port, service: "indexer", count: 5, sameError: true)
        try await MonitorHarness.tracerErrors(port: server.port, service: "search", count: 1, first: 3, sameError: true)
        let first = try await receiver.waitForDelivered("/storm", count: 1)
        #expect(first.count == 1)
        let body = try #require(first.first?.json)
        #expect(body["type"] as? String == "monitor.threshold")
        #expect(body["count"] as? Int == 4)
        #expect(body["window"] as? String == "5m")
        #expect((body["issue"] as? [String: Any])?["service"] as? String == "search")

        let second = try await receiver.waitForDelivered("/storm", count: 2)
        #expect(second.count == 2)
        let gap = second[1].at.timeIntervalSince(second[0].at)
        #expect(gap >= renotify - 0.5, "renotified after \(gap) s")
        #expect(second[1].json["id"] as? String != second[0].json["id"] as? String)
        #expect(try await server.monitor(monitorID)["kind"] as? String == "threshold")
    }

    @Test("a muted monitor sends nothing; unmuted it notifies again")
    func mutedSendsNothing() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        let server = try await FaultlineProcess.start(dataDirectory: directory.appendingPathComponent("data"))
        defer { Task { await server.stop() } }
        let muted = try await server.createMonitor([
            "name": "deploy window", "kind": "new_issue", "mutedUntil": "2099-01-01T00:00:00Z",
            "channel": ["type": "webhook", "url": receiver.url("/muted")],
        ])
        #expect(try await server.monitor(muted)["state"] as? String == "muted")
        _ = try await server.createMonitor(["name": "marker", "kind": "new_issue", "channel": ["type": "webhook", "url": receiver.url("/marker")]])
        try await MonitorHarness.tracerErrors(port: server.port, service: "cart", count: 3)
        _ = try await receiver.waitForDelivered("/marker", count: 3)
        #expect(await receiver.requests("/muted").isEmpty)
        #expect(try await server.deliveries(muted).isEmpty)
        #expect(try await server.monitor(muted)["pending"] as? Int == 0)

        _ = try await server.json("PATCH", "/api/v1/monitors/\(muted)", ["mutedUntil": NSNull()])
        try await MonitorHarness.tracerErrors(port: server.port, service: "cart", count: 1, first: 3)
        let received = try await receiver.waitForDelivered("/muted", count: 1)
        #expect(received.count == 1)
    }

    @Test("PagerDuty: trigger on a new issue, resolve with the same dedup_key when the issue is resolved")
    func pagerDutyTriggerThenResolve() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        await receiver.log.setDefault("/v2/enqueue", 202)
        let server = try await FaultlineProcess.start(
            dataDirectory: directory.appendingPathComponent("data"), environment: ["FAULTLINE_PAGERDUTY_EVENTS_URL": receiver.url("/v2/enqueue")])
        defer { Task { await server.stop() } }
        let monitorID = try await server.createMonitor([
            "name": "page checkout", "kind": "new_issue", "query": "service:checkout",
            "channel": ["type": "pagerduty", "routingKey": "R0UTINGKEY0123456789012345678901"],
        ])
        let monitor = try await server.monitor(monitorID)
        #expect((monitor["channel"] as? [String: Any])?["hasRoutingKey"] as? Bool == true)
        #expect(String(decoding: try JSONSerialization.data(withJSONObject: monitor), as: UTF8.self).contains("R0UTINGKEY") == false)

        try await MonitorHarness.tracerErrors(port: server.port, service: "checkout", count: 1)
        let triggers = try await receiver.waitForDelivered("/v2/enqueue", count: 1)
        let trigger = try #require(triggers.first?.json)
        #expect(trigger["routing_key"] as? String == "R0UTINGKEY0123456789012345678901")
        #expect(trigger["event_action"] as? String == "trigger")
        let dedupKey = try #require(trigger["dedup_key"] as? String)
        let payload = try #require(trigger["payload"] as? [String: Any])
        #expect(payload["source"] as? String == "checkout")
        #expect(payload["severity"] as? String == "error")
        #expect((payload["summary"] as? String)?.contains("Failure0") == true)
        #expect(payload["timestamp"] is String)
        let details = try #require(payload["custom_details"] as? [String: Any])
        #expect(details["type"] as? String == "issue.new")
        let issueID = try #require((details["issue"] as? [String: Any])?["id"] as? Int)
        #expect((trigger["links"] as? [[String: Any]])?.first?["href"] as? String == "https://faultline.example.com/#/issues/\(issueID)")

        _ = try await server.json("PATCH", "/api/v1/issues/\(issueID)", ["status": "resolved"])
        let all = try await receiver.waitForDelivered("/v2/enqueue", count: 2)
        let resolve = all[1].json
        #expect(resolve["event_action"] as? String == "resolve")
        #expect(resolve["dedup_key"] as? String == dedupKey)
        #expect(resolve["routing_key"] as? String == "R0UTINGKEY0123456789012345678901")
        try await MonitorHarness.eventually("nothing pending") { (try await server.monitor(monitorID)["pending"] as? Int) == 0 }
        #expect(try await server.deliveries(monitorID).map { $0["statusCode"] as? Int } == [202, 202])
    }

    @Test("Slack gets text and blocks with the failing frame")
    func slackMessage() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        let server = try await FaultlineProcess.start(dataDirectory: directory.appendingPathComponent("data"))
        defer { Task { await server.stop() } }
        let monitorID = try await server.createMonitor([
            "name": "#checkout-oncall", "kind": "new_issue", "channel": ["type": "slack", "url": receiver.url("/services/T000/B000/XXXX")],
        ])
        // The Slack URL is its token: shown cut to its host.
        #expect((try await server.monitor(monitorID)["channel"] as? [String: Any])?["url"] as? String == "http://127.0.0.1/…")
        try await MonitorHarness.tracerErrors(port: server.port, service: "checkout", count: 1)
        let message = try #require(try await receiver.waitForDelivered("/services/T000/B000/XXXX", count: 1).first?.json)
        let text = try #require(message["text"] as? String)
        #expect(text.hasPrefix("New issue in checkout test: "))
        #expect(text.contains("Failure0: charge failed for order 0"))
        #expect(text.contains("<https://faultline.example.com/#/issues/"))
        let blocks = try #require(message["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["section", "section", "context"])
        let frame = try #require((blocks[1]["text"] as? [String: Any])?["text"] as? String)
        #expect(frame.contains("errors.py:"))
        #expect(frame.contains(" in charge"))
    }

    @Test("destinations: bad fields answer 400 naming them; a loopback address is refused unless --allow-notify names it")
    func destinationsAndBadFields() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        // The default allow-list: any https URL.
        let server = try await FaultlineProcess.start(dataDirectory: directory.appendingPathComponent("data"), environment: ["FAULTLINE_ALLOW_NOTIFY": ""])
        defer { Task { await server.stop() } }
        let plain = try await server.json("POST", "/api/v1/monitors", ["name": "x", "kind": "new_issue", "channel": ["type": "webhook", "url": receiver.url("/x")]], expect: 400)
        #expect((plain["error"] as? String)?.hasPrefix("channel.url: destination does not match --allow-notify") == true)
        let window = try await server.json("POST", "/api/v1/monitors", [
            "name": "x", "kind": "threshold", "threshold": ["count": 5, "window": "5 minutes"], "channel": ["type": "webhook", "url": "https://hooks.example.com/x"],
        ], expect: 400)
        #expect((window["error"] as? String)?.hasPrefix("threshold.window:") == true)
        let (status, _) = try await server.request("POST", "/api/v1/monitors", body: Data("name=x".utf8), contentType: "application/x-www-form-urlencoded")
        #expect(status == 415)
        #expect(try await server.json("GET", "/api/v1/monitors/999", expect: 404)["error"] as? String == "no monitor 999")

        // https to a loopback address passes the pattern, but the resolved address is refused when sending.
        let loopback = try await server.createMonitor(["name": "inside", "kind": "new_issue", "channel": ["type": "webhook", "url": "https://127.0.0.1:\(receiver.port)/x"]])
        _ = try await server.json("POST", "/api/v1/monitors/\(loopback)/test", expect: 202)
        try await MonitorHarness.eventually("the refused attempt in the log") { try await server.deliveries(loopback).count == 1 }
        let attempt = try #require(try await server.deliveries(loopback).first)
        #expect(attempt["outcome"] as? String == "failed")
        #expect(attempt["statusCode"] as? Int == nil)
        #expect((attempt["error"] as? String)?.contains("non-public address") == true)
        #expect(await receiver.requests().isEmpty)
    }
}
