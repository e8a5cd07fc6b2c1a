import FaultlineTestSupport
import Foundation
import Testing

/// `faultline monitors …` through the real binary, on a store a running server delivers from.
@Suite("faultline monitors", .serialized)
struct MonitorsCLITests {
    static func faultline(_ arguments: [String], environment: [String: String] = [:]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(MonitorHarness.binary, arguments, environment: environment)
    }

    @Test("create, list, mute, unmute, update, test and delete; bad input exits non-zero with the field named")
    func lifecycle() async throws {
        let directory = try MonitorHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data").path
        let receiver = try await LoopbackReceiver.start()
        defer { receiver.stop() }
        let allow = ["FAULTLINE_ALLOW_NOTIFY": "http://127.0.0.1:*", "FAULTLINE_MONITOR_SECRET": "whsec_Y2xpLXNlY3JldA=="]

        let created = try await Self.faultline(
            ["monitors", "create", "--data-dir", data, "--name", "cli hook", "--kind", "threshold", "-q", "env:prod", "--count", "10", "--window", "5m",
             "--channel", "webhook", "--url", receiver.url("/cli"), "--json"], environment: allow)
        #expect(created.status == 0, "\(created.stderr)")
        let monitor = try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])?["monitor"] as? [String: Any])
        let id = try #require(monitor["id"] as? Int)
        let threshold = try #require(monitor["threshold"] as? [String: Any])
        #expect(threshold["count"] as? Int == 10)
        #expect(threshold["window"] as? String == "5m")
        #expect(threshold["per"] as? String == "issue")
        #expect((monitor["channel"] as? [String: Any])?["hasSecret"] as? Bool == true)
        #expect(!created.stdout.contains("Y2xpLXNlY3JldA"))

        let list = try await Self.faultline(["monitors", "list", "--data-dir", data])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("ID  NAME") == true)
        #expect(lines.last?.contains("cli hook") == true && lines.last?.contains("threshold >10/5m per issue") == true && lines.last?.contains("active") == true)

        let muted = try await Self.faultline(["monitors", "mute", String(id), "--for", "2h", "--data-dir", data])
        #expect(muted.status == 0)
        #expect(muted.stdout.hasPrefix("muted monitor \(id) until "))
        #expect(try await Self.faultline(["monitors", "list", "--data-dir", data]).stdout.contains("muted"))
        #expect(try await Self.faultline(["monitors", "unmute", String(id), "--data-dir", data]).status == 0)

        let badWindow = try await Self.faultline(["monitors", "update", String(id), "--window", "90s", "--data-dir", data], environment: allow)
        #expect(badWindow.status != 0)
        #expect(badWindow.stderr.contains("threshold.window: must be whole minutes"))
        let refused = try await Self.faultline(["monitors", "update", String(id), "--url", "http://10.0.0.1/hook", "--data-dir", data], environment: allow)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("channel.url: destination does not match --allow-notify"))
        let renamed = try await Self.faultline(["monitors", "update", String(id), "--name", "renamed", "--json", "--data-dir", data], environment: allow)
        #expect(renamed.status == 0)
        #expect(renamed.stdout.contains(#""name" : "renamed""#))
        #expect(try await Self.faultline(["monitors", "show", "999", "--data-dir", data]).stderr.contains("no monitor 999"))

        // `monitors test` queues; a server on the same store sends it.
        let queued = try await Self.faultline(["monitors", "test", String(id), "--data-dir", data])
        #expect(queued.status == 0)
        #expect(queued.stdout.hasPrefix("queued monitor.test msg_"))
        let server = try await FaultlineProcess.start(dataDirectory: URL(fileURLWithPath: data))
        defer { Task { await server.stop() } }
        let received = try await receiver.waitForDelivered("/cli", count: 1)
        #expect(received.first?.json["type"] as? String == "monitor.test")
        #expect(received.first?.headers["webhook-id"] == queued.stdout.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
        try await MonitorHarness.eventually("the attempt in `monitors show`") {
            try await Self.faultline(["monitors", "show", String(id), "--data-dir", data]).stdout.contains("delivered")
        }
        let deleted = try await Self.faultline(["monitors", "delete", String(id), "--data-dir", data])
        #expect(deleted.stdout == "deleted monitor \(id)\n")
        #expect(try await Self.faultline(["monitors", "list", "--data-dir", data]).stdout == "no monitors\n")
    }
}
