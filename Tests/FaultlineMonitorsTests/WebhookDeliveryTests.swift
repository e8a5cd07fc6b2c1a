import FaultlineMonitors
import FaultlineTestSupport
import Foundation
import Testing

/// Real tracer traffic into a real `faultline serve`, notifications into a real loopback receiver.
@Suite("Monitors: webhook delivery", .serialized)
struct WebhookDeliveryTests {
    static let secret = "whsec_" + Data("monitors-test-secret-0123456789".utf8).base64EncodedString()

    /// Checks the Standard Webhooks headers of a received request against the secret and its body.
    static func expectSigned(_ request: LoopbackReceiver.Received, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let id = try #require(request.headers["webhook-id"], sourceLocation: sourceLocation)
        let timestamp = try #require(request.headers["webhook-timestamp"].flatMap { Int64($0) }, sourceLocation: sourceLocation)
        let signature = try #require(request.headers["webhook-signature"], sourceLocation: sourceLocation)
        #expect(WebhookSignature(secret: secret).verify(header: signature, id: id, timestamp: timestamp, body: request.body), sourceLocation: sourceLocation)
        #expect(request.json["id"] as? String == id, sourceLocation: sourceLocation)
        // A signature over anything else must not verify.
        #expect(!WebhookSignature(secret: secret).verify(header: signature, id: id, timestamp: timestamp + 1, body: request.body), sourceLocation: sourceLocation)
    }

    @Test("N new issues from ddtrace → exactly N signed issue.new deliveries, topFrame.code the deployed line")
    func newIssuesWithDeployedCode() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The shop service's repository, the commit it runs.
        let git = try GitFixture(name: "shop")
        for file in ["app.py", "shop/__init__.py", "shop/checkout.py"] {
            try git.write(file, try Data(contentsOf: MonitorHarness.fixture("enrichment/shop-v2/\(file)")))
        }
        let sha = try git.commit("Checkout: describe carts")
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        let server = try await FaultlineProcess.start(
            dataDirectory: directory.appendingPathComponent("data"),
            arguments: ["--allow-repo", "file://\(git.root.path)/*"],
            environment: ["FAULTLINE_ENRICHMENT": "true", "FAULTLINE_NOTIFY_ENRICHMENT_WAIT": "30s"])
        defer { Task { await server.stop() } }
        let monitorID = try await server.createMonitor([
            "name": "checkout on call", "kind": "new_issue", "query": "env:test",
            "channel": ["type": "webhook", "url": receiver.url("/hook"), "secret": Self.secret],
        ])

        let services = ["shop-a", "shop-b", "shop-c"]
        for service in services {
            let result = try await ChildProcess.run(
                ChildProcess.python, [git.work.appendingPathComponent("app.py").path],
                environment: [
                    "DD_TRACE_AGENT_URL": "http://127.0.0.1:\(server.port)", "DD_SERVICE": service, "DD_ENV": "test", "DD_VERSION": "2.0.0",
                    "DD_GIT_REPOSITORY_URL": git.work.path, "DD_GIT_COMMIT_SHA": sha, "DD_REMOTE_CONFIGURATION_ENABLED": "false",
                    "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false", "PYTHONDONTWRITEBYTECODE": "1",
                ],
                currentDirectory: git.work)
            #expect(result.status == 0, "\(result.stderr)")
        }
        // A second event of an issue that exists is not new.
        _ = try await ChildProcess.run(
            ChildProcess.python, [git.work.appendingPathComponent("app.py").path],
            environment: [
                "DD_TRACE_AGENT_URL": "http://127.0.0.1:\(server.port)", "DD_SERVICE": "shop-a", "DD_ENV": "test", "DD_VERSION": "2.0.0",
                "DD_GIT_REPOSITORY_URL": git.work.path, "DD_GIT_COMMIT_SHA": sha, "DD_REMOTE_CONFIGURATION_ENABLED": "false",
                "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false", "PYTHONDONTWRITEBYTECODE": "1",
            ],
            currentDirectory: git.work)

        let received = try await receiver.waitForDelivered("/hook", count: services.count)
        let issues = try await server.issues()
        #expect(issues.count == services.count)
        // Every notification is recorded as delivered and nothing else is waiting: exactly N.
        try await MonitorHarness.eventually("no pending notifications") {
            (try await server.monitor(monitorID)["pending"] as? Int) == 0
        }
        let deliveries = try await server.deliveries(monitorID)
        #expect(deliveries.count == services.count)
        #expect(deliveries.allSatisfy { $0["outcome"] as? String == "delivered" && $0["statusCode"] as? Int == 200 })
        #expect(await receiver.requests("/hook").count == services.count)

        let lines = try git.show(sha, "shop/checkout.py").components(separatedBy: "\n")
        var seenIssues: Set<Int> = []
        for request in received {
            try Self.expectSigned(request)
            let body = request.json
            #expect(body["type"] as? String == "issue.new")
            let monitor = try #require(body["monitor"] as? [String: Any])
            #expect(monitor["id"] as? Int == monitorID)
            #expect(monitor["name"] as? String == "checkout on call")
            let issue = try #require(body["issue"] as? [String: Any])
            let issueID = try #require(issue["id"] as? Int)
            seenIssues.insert(issueID)
            #expect(body["url"] as? String == "https://faultline.example.com/#/issues/\(issueID)")
            // The same object as GET /api/v1/issues/{id} under `issue` (the count may have grown since).
            var api = try #require(try await server.json("GET", "/api/v1/issues/\(issueID)")["issue"] as? [String: Any])
            var sent = issue
            for key in ["count", "lastSeen", "latestEventID", "culprit"] {
                api[key] = nil
                sent[key] = nil
            }
            #expect(NSDictionary(dictionary: sent) == NSDictionary(dictionary: api))
            let frame = try #require(body["topFrame"] as? [String: Any])
            #expect(frame["path"] as? String == "shop/checkout.py")
            #expect(frame["function"] as? String == "parse_quantity")
            let line = try #require(frame["line"] as? Int)
            let code = try #require(frame["code"] as? String)
            #expect(code == lines[line - 1])
            #expect(code.contains("raise ValueError"))
        }
        #expect(seenIssues == Set(issues.compactMap { $0["id"] as? Int }))
        #expect(Set(received.compactMap { $0.headers["webhook-id"] }).count == services.count)
        // The issue page lists the monitor that notified.
        let notified = try await server.json("GET", "/api/v1/issues/\(seenIssues.sorted()[0])/notifications")["notifications"] as? [[String: Any]] ?? []
        #expect(notified.map { $0["monitorName"] as? String } == ["checkout on call"])
    }

    @Test("a receiver failing with 500 for a while: retried with the same id and a fresh timestamp, delivered once")
    func retriedUntilDelivered() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        await receiver.log.script("/flaky", [500, 503, 500])
        let server = try await FaultlineProcess.start(dataDirectory: directory.appendingPathComponent("data"))
        defer { Task { await server.stop() } }
        let monitorID = try await server.createMonitor([
            "name": "flaky", "kind": "new_issue", "query": "service:orders",
            "channel": ["type": "webhook", "url": receiver.url("/flaky"), "secret": Self.secret],
        ])
        try await MonitorHarness.tracerErrors(port: server.port, service: "orders", count: 1)

        let received = try await receiver.waitForDelivered("/flaky", count: 1)
        #expect(received.map(\.answered) == [500, 503, 500, 200])
        #expect(Set(received.compactMap { $0.headers["webhook-id"] }).count == 1)
        #expect(Set(received.compactMap { $0.json["id"] as? String }).count == 1)
        let timestamps = received.compactMap { $0.headers["webhook-timestamp"].flatMap { Int64($0) } }
        #expect(timestamps == timestamps.sorted())
        for request in received { try Self.expectSigned(request) }
        try await MonitorHarness.eventually("the delivery log to show the success") {
            (try await server.deliveries(monitorID)).first?["outcome"] as? String == "delivered"
        }
        let log = try await server.deliveries(monitorID).reversed().map { ($0["attempt"] as? Int ?? 0, $0["statusCode"] as? Int ?? 0, $0["outcome"] as? String ?? "") }
        #expect(log.map(\.0) == [1, 2, 3, 4])
        #expect(log.map(\.1) == [500, 503, 500, 200])
        #expect(log.map(\.2) == ["pending", "pending", "pending", "delivered"])
        #expect(try await server.monitor(monitorID)["pending"] as? Int == 0)
    }

    @Test("kill -9 with notifications pending: delivered after restart, none twice")
    func killNineLosesNothing() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data")
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        // Down while the first server runs.
        await receiver.log.setDefault("/down", 500)
        let retries = ["FAULTLINE_NOTIFY_RETRY_SCHEDULE": "0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s,0.3s"]
        let first = try await FaultlineProcess.start(dataDirectory: data, environment: retries)
        let monitorID = try await first.createMonitor([
            "name": "pager", "kind": "new_issue", "channel": ["type": "webhook", "url": receiver.url("/down"), "secret": Self.secret],
        ])
        let count = 5
        try await MonitorHarness.tracerErrors(port: first.port, service: "billing", count: count)
        // Every notification has been tried at least once, and failed.
        try await MonitorHarness.eventually("a failed attempt of every notification") {
            Set(await receiver.requests("/down").compactMap { $0.headers["webhook-id"] }).count == count
        }
        await first.kill()
        let tried = Set(await receiver.requests("/down").compactMap { $0.headers["webhook-id"] })
        #expect(tried.count == count)

        await receiver.log.setDefault("/down", 200)
        let second = try await FaultlineProcess.start(dataDirectory: data, environment: retries)
        defer { Task { await second.stop() } }
        let received = try await receiver.waitForDelivered("/down", count: count)
        try await MonitorHarness.eventually("nothing pending after the restart") {
            (try await second.monitor(monitorID)["pending"] as? Int) == 0
        }
        let delivered = received.filter { $0.answered == 200 }.compactMap { $0.headers["webhook-id"] }
        #expect(delivered.count == count)
        #expect(Set(delivered) == tried)
        // A restart after every 2xx was recorded sends nothing again.
        await second.stop()
        let third = try await FaultlineProcess.start(dataDirectory: data, environment: retries)
        defer { Task { await third.stop() } }
        let marker = try await third.createMonitor([
            "name": "marker", "kind": "new_issue", "query": "service:marker", "channel": ["type": "webhook", "url": receiver.url("/marker")],
        ])
        _ = try await third.json("POST", "/api/v1/monitors/\(marker)/test", expect: 202)
        _ = try await receiver.waitForDelivered("/marker", count: 1)
        #expect(await receiver.requests("/down").filter { $0.answered == 200 }.count == count)
    }

    @Test("a receiver answering 410 disables the channel, shown so")
    func goneDisablesChannel() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        await receiver.log.setDefault("/gone", 410)
        let server = try await FaultlineProcess.start(dataDirectory: directory.appendingPathComponent("data"))
        defer { Task { await server.stop() } }
        let monitorID = try await server.createMonitor(["name": "old hook", "kind": "new_issue", "channel": ["type": "webhook", "url": receiver.url("/gone")]])
        let marker = try await server.createMonitor(["name": "marker", "kind": "new_issue", "channel": ["type": "webhook", "url": receiver.url("/marker")]])
        try await MonitorHarness.tracerErrors(port: server.port, service: "legacy", count: 1)
        try await MonitorHarness.eventually("the monitor to be disabled") {
            (try await server.monitor(monitorID)["state"] as? String) == "disabled"
        }
        let monitor = try await server.monitor(monitorID)
        #expect((monitor["disabledReason"] as? String)?.contains("410") == true)
        #expect(monitor["pending"] as? Int == 0)
        // Once disabled nothing more is sent: a second new issue reaches only the other monitor.
        try await MonitorHarness.tracerErrors(port: server.port, service: "legacy", count: 1, first: 1)
        _ = try await receiver.waitForDelivered("/marker", count: 2)
        try await MonitorHarness.eventually("the marker monitor to have nothing pending") {
            (try await server.monitor(marker)["pending"] as? Int) == 0
        }
        #expect(await receiver.requests("/gone").count == 1)
        #expect(try await server.deliveries(monitorID).count == 1)
        // Changing the channel enables it again.
        let updated = try await server.json("PATCH", "/api/v1/monitors/\(monitorID)", ["channel": ["type": "webhook", "url": receiver.url("/new")]])
        #expect((updated["monitor"] as? [String: Any])?["state"] as? String == "active")
    }
}
