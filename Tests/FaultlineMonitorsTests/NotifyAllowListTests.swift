import FaultlineCore
import Foundation
import Testing

@testable import FaultlineMonitors

/// Where notifications may go: patterns, and no loopback, private or link-local address unless named.
@Suite("Notify allow-list")
struct NotifyAllowListTests {
    static func refusal(_ list: NotifyAllowList, _ url: String) async -> MonitorsError? {
        do throws(MonitorsError) {
            _ = try await list.resolve(url)
            return nil
        } catch {
            return error
        }
    }

    @Test("by default any https URL to a public address, nothing else", arguments: [
        ("https://8.8.8.8/hook", true),
        ("http://8.8.8.8/hook", false),
        ("https://127.0.0.1/hook", false),
        ("https://10.1.2.3/hook", false),
        ("https://172.20.0.1/hook", false),
        ("https://192.168.1.10/hook", false),
        ("https://169.254.169.254/latest/meta-data", false),
        ("https://100.64.0.1/", false),
        ("https://[::1]/hook", false),
        ("https://[fe80::1]/hook", false),
        ("https://[fd00::1]/hook", false),
        ("https://[::ffff:127.0.0.1]/hook", false),
        ("https://0.0.0.0/hook", false),
        ("ftp://8.8.8.8/hook", false),
        ("https://user:pass@8.8.8.8/hook", false),
    ])
    func defaults(url: String, allowed: Bool) async {
        let error = await Self.refusal(NotifyAllowList(), url)
        #expect((error == nil) == allowed, "\(url): \(error?.reason ?? "allowed")")
        if let error { #expect(error.kind == .destinationRefused) }
    }

    @Test("a name that resolves to loopback is refused: the resolved address is what counts")
    func localhostResolvesToLoopback() async {
        let error = await Self.refusal(NotifyAllowList(), "https://localhost/hook")
        #expect(error?.kind == .destinationRefused)
        #expect(error?.reason.contains("non-public") == true)
    }

    @Test("a wildcard host never opens loopback; a pattern naming the host does")
    func explicitPatterns() async throws {
        let wildcard = NotifyAllowList(patterns: ["http://*"])
        #expect(await Self.refusal(wildcard, "http://127.0.0.1:9000/hook")?.kind == .destinationRefused)
        let named = NotifyAllowList(patterns: ["http://127.0.0.1:*"])
        let destination = try await named.resolve("http://127.0.0.1:9000/hook")
        #expect(destination.connectAddress == nil)
        #expect(destination.host == "127.0.0.1")
        // The pattern names 127.0.0.1, not the metadata address.
        #expect(await Self.refusal(named, "http://169.254.169.254/")?.kind == .destinationRefused)
        let localhost = NotifyAllowList(patterns: ["http://localhost:*/hooks/*"])
        let resolved = try await localhost.resolve("http://localhost:8080/hooks/a")
        #expect(resolved.connectAddress.map { IPAddressClass.classify($0) == .nonPublic } == true)
        #expect(await Self.refusal(localhost, "http://localhost:8080/other")?.kind == .destinationRefused)
    }

    @Test("configured patterns replace the default")
    func patternsReplaceDefault() {
        let list = NotifyAllowList(patterns: ["https://hooks.slack.com/*"])
        #expect(throws: MonitorsError.self) { try list.check("https://example.com/hook") }
        #expect((try? list.check("https://HOOKS.slack.com/services/T/B/x"))?.host == "hooks.slack.com")
        #expect(NotifyAllowList().patterns == ["https://*"])
    }

    @Test("host parts of patterns", arguments: [
        ("http://127.0.0.1:*", "127.0.0.1", true),
        ("http://127.0.0.1/x", "127.0.0.1", true),
        ("https://*.internal/*", "a.internal", false),
        ("http://[::1]:8080/*", "::1", true),
        ("http://LOCALHOST/*", "localhost", true),
        ("localhost", "localhost", false),
    ])
    func namesHost(pattern: String, host: String, names: Bool) {
        #expect(NotifyAllowList.namesHost(pattern, host) == names)
    }
}

@Suite("Webhook signature and retry schedule")
struct SignatureAndScheduleTests {
    @Test("the Standard Webhooks reference vector")
    func standardWebhooksVector() {
        // From the Standard Webhooks specification's example.
        let signature = WebhookSignature(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let body = Data(#"{"test": 2432232314}"#.utf8)
        let header = signature.header(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body)
        #expect(header == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(signature.verify(header: "v1,bm9wZQ== " + header, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body))
        #expect(!signature.verify(header: header, id: "msg_other", timestamp: 1_614_265_330, body: body))
    }

    @Test("the default schedule is Standard Webhooks', jittered within ±10 %, then gives up")
    func schedule() throws {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let schedule = RetrySchedule.standard
        #expect(schedule.delays == [5, 300, 1800, 7200, 18000, 36000])
        for (attempt, delay) in schedule.delays.enumerated() {
            let early = try #require(schedule.nextAttempt(after: attempt + 1, now: now, random: -1))
            let late = try #require(schedule.nextAttempt(after: attempt + 1, now: now, random: 1))
            #expect(abs(early.timeIntervalSince(now) - delay * 0.9) < 1e-6)
            #expect(abs(late.timeIntervalSince(now) - delay * 1.1) < 1e-6)
        }
        #expect(schedule.nextAttempt(after: schedule.delays.count + 1, now: now) == nil)
        #expect(RetrySchedule(parsing: "0.2s, 5m,2h")?.delays == [0.2, 300, 7200])
        #expect(RetrySchedule(parsing: "5s,soon") == nil)
        #expect(DurationText.text(300) == "5m")
        #expect(DurationText.text(90) == "90s")
    }
}
