import FaultlineTestSupport
import FaultlineCore
import Testing

@Suite struct MessageNormalizerTests {
    @Test(arguments: [
        // e-mails, URLs, hostnames
        ("could not notify jane.doe+ops@example.co.uk", "could not notify <email>"),
        ("GET https://api.example.com/v1/orders/42?expand=items failed", "GET <url> failed"),
        ("see (http://localhost:8080/health).", "see (<url>)."),
        ("connect to db-7.internal.example.net refused", "connect to <hostname> refused"),
        ("host=cache.svc.cluster.local port=6379", "host=<hostname> port=<int>"),
        // IP addresses
        ("dial tcp 10.0.12.7:5432: connect: connection refused", "dial tcp <ip>:<int>: connect: connection refused"),
        ("peer fe80::1ff:fe23:4567:890a reset", "peer <ip> reset"),
        ("bind ::1 failed", "bind <ip> failed"),
        ("client 2001:db8:85a3::8a2e:370:7334 blocked", "client <ip> blocked"),
        ("version 1.2.3.400 unsupported", "version <float>.<float> unsupported"),
        // ids and hashes
        ("order 550e8400-e29b-41d4-a716-446655440000 not found", "order <uuid> not found"),
        ("key=order-550e8400-e29b-41d4-a716-446655440000", "key=order-<uuid>"),
        ("commit 9fceb02d0ae598e95dc970b74767f19372d61af8 missing", "commit <hash> missing"),
        ("etag d41d8cd98f00b204e9800998ecf8427e stale", "etag <hash> stale"),
        ("blob e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 corrupt", "blob <hash> corrupt"),
        ("segfault at 0x7ffd5e2c0a10", "segfault at <hex>"),
        // dates and times
        ("token expired at 2026-11-24T10:00:00.123Z", "token expired at <date>"),
        ("expired=2026-11-24 10:00:00,123 now", "expired=<date> now"),
        ("since 2026-11-24 only", "since <date> only"),
        ("Date: Tue, 24 Nov 2026 10:00:00 +0000 bad", "Date: <date> bad"),
        ("at Tue Nov 24 10:00:00 UTC 2026 boom", "at <date> boom"),
        ("[24/Nov/2026:10:00:00 +0000] GET", "[<date>] GET"),
        ("Nov 24 10:00:00 web-1 kernel panic", "<date> web-<int> kernel panic"),
        ("deadline 24/11/2026 passed", "deadline <date> passed"),
        ("at 10:00:00 the job failed", "at <date> the job failed"),
        ("logs/2026-11-24/app.log missing", "logs/<date>/app.log missing"),
        ("Monday 3 items", "Monday <int> items"),
        ("May be missing", "May be missing"),
        // durations and numbers
        ("timed out after 150ms", "timed out after <duration>"),
        ("timeout=2.5s exceeded", "timeout=<duration> exceeded"),
        ("context deadline exceeded (Client.Timeout 1m30.5s)", "context deadline exceeded (Client.Timeout <duration>)"),
        ("took 30 seconds", "took <int> seconds"),
        ("invalid quantity: -1", "invalid quantity: <int>"),
        ("offset -2.5 out of range", "offset <float> out of range"),
        ("pages 3-5", "pages <int>-<int>"),
        ("ratio 0.75 too high", "ratio <float> too high"),
        ("value 6.02e23 overflow", "value <float> overflow"),
        ("invalid literal for int() with base 10", "invalid literal for int() with base <int>"),
        ("id=123 user_123 abc123 v2 user-123", "id=<int> user_123 abc123 v2 user-<int>"),
        ("50% done, -5 left", "<int>% done, <int> left"),
        ("list index 3 out of range", "list index <int> out of range"),
        ("/users/123/orders/456", "/users/<int>/orders/<int>"),
        // quoted literals
        ("KeyError: 'user_id'", "KeyError: <quoted>"),
        ("can't find \"report.pdf\" in 'bucket'", "can't find <quoted> in <quoted>"),
        ("undefined method `name' for nil", "undefined method <quoted> for nil"),
        ("Table `orders` doesn't exist", "Table <quoted> doesn't exist"),
        ("say \"a \\\"b\\\" c\" ok", "say <quoted> ok"),
        ("it's Bob's", "it's Bob's"),
        ("empty '' stays", "empty '' stays"),
        // nothing variable
        ("Cannot read properties of undefined (reading 'id')", "Cannot read properties of undefined (reading <quoted>)"),
        ("division by zero", "division by zero"),
        ("  padded message  ", "padded message"),
        ("", ""),
    ])
    func replacesVariableParts(message: String, expected: String) {
        #expect(MessageNormalizer.normalize(message).text == expected)
    }

    @Test func messagesDifferingOnlyInVariablePartsNormaliseAlike() {
        let a = "user 42 (bob@example.com) timed out after 150ms calling 10.0.0.1 at 2026-11-24T10:00:00Z with 'alpha'"
        let b = "user 7 (alice@corp.io) timed out after 2.5s calling 192.168.1.20 at 2025-01-02T03:04:05+01:00 with 'beta'"
        #expect(MessageNormalizer.normalize(a).text == MessageNormalizer.normalize(b).text)
    }

    @Test func longMessageIsTruncatedOnACharacterBoundary() {
        let message = String(repeating: "é", count: MessageNormalizer.maxBytes)
        let normalized = MessageNormalizer.normalize(message)
        #expect(normalized.truncatedBytes == MessageNormalizer.maxBytes)
        #expect(normalized.text.utf8.count == MessageNormalizer.maxBytes)
        #expect(normalized.text.allSatisfy { $0 == "é" })
    }

    @Test func shortMessageIsNotTruncated() {
        #expect(MessageNormalizer.normalize("boom").truncatedBytes == 0)
    }

    /// Inputs built to make a naive scanner rescan: work must stay proportional to the length.
    @Test(arguments: [
        "a.", "1.", "a@", "'a", "\"x ", "`", "0x", "1:", "::", "2026-", "Nov ", "Tue, ", "http", "a-", "ab12 ", "é",
        "1/", "\\\"", "x'y", "10:00 ",
    ])
    func workIsLinear(unit: String) {
        var ratios: [Double] = []
        for repeats in [100, 1_000, 4_000] {
            let message = String(repeating: unit, count: repeats)
            let normalized = MessageNormalizer.normalize(message)
            let length = min(message.utf8.count, MessageNormalizer.maxBytes)
            ratios.append(Double(normalized.steps) / Double(length))
        }
        #expect(ratios.allSatisfy { $0 <= 16 }, "steps per byte \(ratios)")
    }

    @Test func binaryGarbageDoesNotTrap() {
        var generator = SplitMix64(seed: 7)
        let bytes = (0..<20_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let normalized = MessageNormalizer.normalize(String(decoding: bytes, as: UTF8.self))
        #expect(normalized.truncatedBytes > 0)
        #expect(normalized.steps <= 16 * MessageNormalizer.maxBytes)
    }
}
