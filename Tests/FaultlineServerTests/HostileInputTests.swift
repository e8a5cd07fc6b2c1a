import FaultlineCore
import FaultlineIntake
import FaultlineServer
import FaultlineTestSupport
import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Hostile payloads, queries and parameters through the real server on loopback: each answered 4xx with a
/// reason naming the limit, or accepted with a truncation note, and the server still answering.
@Suite("Hostile input", .serialized)
struct HostileInputTests {
    typealias MessagePack = FaultlineTestSupport.MessagePack

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static func json(_ body: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
    }

    /// The `error` reason of a JSON error body.
    static func errorText(_ body: ByteBuffer) throws -> String {
        try #require(try json(body)["error"] as? String)
    }

    static func linkBody(stackRoot: String, sourceRoot: String) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: [
            "service": "shop", "url": "https://github.com/acme/shop", "mappings": [["stackRoot": stackRoot, "sourceRoot": sourceRoot]],
        ]))
    }

    /// A v0.4 body of one error span per trace, each with its own message (so its own issue).
    static func v04Errors(service: String = "shop", messages: [String], stack: String) -> [UInt8] {
        MessagePack.array(messages.enumerated().map { index, message in
            .array([.map([
                (.string("service"), .string(service)), (.string("name"), .string("web.request")), (.string("resource"), .string("GET /")),
                (.string("trace_id"), .unsigned(UInt64(index + 1))), (.string("span_id"), .unsigned(UInt64(index + 1))),
                (.string("parent_id"), .unsigned(0)), (.string("start"), .signed(1_764_000_000_000_000_000)), (.string("duration"), .signed(10)),
                (.string("error"), .signed(1)),
                (.string("meta"), .map([
                    (.string("error.type"), .string("ValueError")), (.string("error.message"), .string(message)),
                    (.string("error.stack"), .string(stack)), (.string("language"), .string("python")),
                ])),
                (.string("metrics"), .map([])),
            ])])
        }).bytes
    }

    /// A v0.5 body of `spans` error spans, each its own trace and message, all pointing at one stack string.
    static func v05SharedStack(spans: Int, stack: String) -> [UInt8] {
        var table: [MessagePack] = ["", "shop", "web.request", "error.type", "ValueError", "error.stack", stack, "error.message", "language", "python"]
            .map { .string($0) }
        let firstMessage = table.count
        // Letters, not digits: grouping replaces numbers, and each span should make its own issue.
        table += (0..<spans).map { .string("boom " + Self.letters($0)) }
        let traces: [MessagePack] = (0..<spans).map { index in
            .array([.array([
                .unsigned(1), .unsigned(2), .unsigned(2), .unsigned(UInt64(index + 1)), .unsigned(UInt64(index + 1)), .unsigned(0),
                .signed(1_764_000_000_000_000_000), .signed(10), .unsigned(1),
                .map([(.unsigned(3), .unsigned(4)), (.unsigned(5), .unsigned(6)), (.unsigned(7), .unsigned(UInt64(firstMessage + index))),
                      (.unsigned(8), .unsigned(9))]),
                .map([]), .unsigned(0),
            ])])
        }
        return MessagePack.array([.array(table), .array(traces)]).compactBytes
    }

    /// `index` in base 26 as letters (`a`, `b`, … `ba`).
    static func letters(_ index: Int) -> String {
        var rest = index
        var text = ""
        repeat {
            text = String(UnicodeScalar(UInt8(97 + rest % 26))) + text
            rest /= 26
        } while rest > 0
        return text
    }

    static func pythonStack(bytes: Int) -> String {
        var text = "Traceback (most recent call last):\n"
        var index = 0
        while text.utf8.count < bytes {
            text += "  File \"/app/shop/module\(index).py\", line \(index + 1), in handler\(index)\n    call()\n"
            index += 1
        }
        return text + "ValueError: boom\n"
    }

    /// Bytes of the store's files.
    static func storeBytes(_ directory: URL) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("faultline") || $0.hasSuffix(".sqlite") || $0.contains(".sqlite-") }
            .reduce(0) { total, name in
                let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)
                return total + ((attributes[.size] as? Int) ?? 0)
            }
    }

    // MARK: - Queries and path parameters

    @Test("queries beyond the term, length and character limits answer 400 naming the limit, also for export")
    func queryLimits() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let cases: [(String, String)] = [
            (Array(repeating: "word", count: 997).joined(separator: " "), "at most \(IssueQuery.maxTerms)"),
            (Array(repeating: "service:a", count: 999).joined(separator: " "), "at most"),
            (Array(repeating: "service:a", count: IssueQuery.maxTerms + 1).joined(separator: " "), "too many terms (at most \(IssueQuery.maxTerms))"),
            (String(repeating: "x", count: 50_001), "at most \(IssueQuery.maxLength) characters"),
            ("message:" + String(repeating: "x", count: IssueQuery.maxTermLength + 1), "term too long (at most \(IssueQuery.maxTermLength) characters)"),
            ("\u{0}", "control character"),
            ("service:shop\u{0}", "control character"),
        ]
        try await app.test(.live) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            for (query, reason) in cases {
                for path in ["/api/v1/issues", "/api/v1/facets", "/api/v1/export"] {
                    try await client.execute(uri: "\(path)?q=\(Self.encoded(query))", method: .get) { response in
                        #expect(response.status == .badRequest, "\(path) with a \(query.count)-character query")
                        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                        let error = try Self.json(response.body)
                        #expect((error["error"] as? String ?? "").contains(reason), "\(error)")
                    }
                }
            }
            // At the limits the store answers, streamed export included.
            let keys = ["service", "env", "version", "error.type", "message", "host", "container", "language"]
            let widest = (0..<IssueQuery.maxTerms).map { "-\(keys[$0 % keys.count]):*\($0)*" }.joined(separator: " ")
            #expect(widest.count <= IssueQuery.maxLength)
            for path in ["/api/v1/issues", "/api/v1/facets", "/api/v1/export"] {
                try await client.execute(uri: "\(path)?q=\(Self.encoded(widest))", method: .get) { response in
                    #expect(response.status == .ok, "\(path): \(String(buffer: response.body).prefix(300))")
                }
            }
            let long = "message:" + String(repeating: "y", count: IssueQuery.maxTermLength)
            try await client.execute(uri: "/api/v1/issues?q=\(Self.encoded(long))", method: .get) { response in
                #expect(response.status == .ok)
            }
            // NUL no longer matches everything: it is refused, while the store still holds issues.
            let all = try await client.issues()
            #expect(!all.isEmpty)
        }
    }

    @Test("issue ids that are not positive 64-bit integers answer 400", arguments: [
        "abc", "0", "-1", "1.5", "99999999999999999999", String(repeating: "9", count: 5_000), "1%00", "%F0%9F%98%80",
    ])
    func malformedIssueIDs(id: String) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.live) { client in
            for suffix in ["", "/events"] {
                try await client.execute(uri: "/api/v1/issues/\(id)\(suffix)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(id.prefix(20))\(suffix)")
                    let reason = try Self.errorText(response.body)
                    #expect(reason.contains("issue id"))
                }
            }
            try await client.execute(uri: "/info", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("malformed list parameters answer 400", arguments: [
        "cursor=" + String(repeating: "%FF", count: 3_000), "cursor=not-a-cursor", "limit=99999999999999999999999", "limit=-1",
        "from=" + String(repeating: "2", count: 10_000), "sort=" + String(repeating: "z", count: 10_000), "order=sideways", "hourly=maybe",
    ])
    func malformedListParameters(query: String) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.live) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            try await client.execute(uri: "/api/v1/issues?\(query)", method: .get) { response in
                #expect(response.status == .badRequest, "\(query.prefix(40)): \(String(buffer: response.body).prefix(200))")
                let reason = try Self.errorText(response.body)
                #expect(!reason.isEmpty)
            }
        }
    }

    // MARK: - Payloads

    @Test("a 10 MB service name and a 10 MB message are cut, the event kept with a truncation note")
    func lengthCaps() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let limits = IntakeLimits.default
        let body = Self.v04Errors(
            service: String(repeating: "s", count: 10_000_000), messages: [String(repeating: "m", count: 10_000_000)],
            stack: Self.pythonStack(bytes: 2_000_000))
        try await app.test(.live) { client in
            try await client.execute(uri: "/v0.4/traces", method: .put, headers: [.contentType: "application/msgpack"], body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .ok)
            }
            let issue = try #require(try await client.issues().first)
            #expect(issue.service == String(repeating: "s", count: limits.maxNameBytes))
            #expect(issue.message.utf8.count <= limits.maxMessageBytes)
            let detail = try await client.execute(uri: "/api/v1/issues/\(issue.id)", method: .get) { response in
                #expect(response.status == .ok)
                return response.body.readableBytes
            }
            // The issue response is bounded by the caps, not by what was sent.
            #expect(detail < 2 * (limits.maxStackBytes + limits.maxMessageBytes) + 200_000)
            let events = try await client.execute(uri: "/api/v1/issues/\(issue.id)/events", method: .get) { try Self.json($0.body) }
            let event = try #require((events["events"] as? [[String: Any]])?.first)
            let tags = try #require(event["spanTags"] as? [String: String])
            #expect(tags[IntakeLimits.truncationTag] == "service,errorMessage,errorStack")
            #expect((event["errorStack"] as? String)?.utf8.count ?? .max <= limits.maxStackBytes)
        }
    }

    @Test("20,000 v0.5 spans sharing one 7.3 MB stack: answered, bounded, the server still answering")
    func sharedStackPayload() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let body = Self.v05SharedStack(spans: 20_000, stack: Self.pythonStack(bytes: 7_300_000))
        #expect(body.count > 7_300_000 && body.count < 8_500_000)
        let before = try Self.storeBytes(directory)
        try await app.test(.live) { client in
            try await client.execute(uri: "/v0.5/traces", method: .put, headers: [.contentType: "application/msgpack"], body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/info", method: .get) { #expect($0.status == .ok) }
            let page = try await client.execute(uri: "/api/v1/issues?limit=500", method: .get) { try Self.json($0.body) }
            let issues = try #require(page["issues"] as? [[String: Any]])
            let limits = IntakeLimits.default
            #expect(issues.count >= limits.maxEventBytesPerPayload / (limits.maxStackBytes + 1_000))
            #expect(issues.count <= limits.maxEventBytesPerPayload / limits.maxStackBytes)
        }
        // One stored copy of the cut stack, not one per issue.
        #expect(try Self.storeBytes(directory) - before < 24 * 1024 * 1024)
    }

    @Test("a 0.96 MB v0.5 body of spans sharing a stack grows the store by a bounded amount")
    func sharedStackStoreGrowth() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let stack = Self.pythonStack(bytes: 880_000)
        let body = Self.v05SharedStack(spans: 2_000, stack: stack)
        #expect(body.count < 1_000_000)
        try await app.test(.live) { client in
            try await client.send(fixture: "ddtrace-python-v05.msgpack", to: "/v0.5/traces", contentType: "application/msgpack")
            let before = try Self.storeBytes(directory)
            try await client.execute(uri: "/v0.5/traces", method: .put, headers: [.contentType: "application/msgpack"], body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .ok)
            }
            let page = try await client.execute(uri: "/api/v1/issues?limit=500&q=\(Self.encoded("message:boom*"))", method: .get) { try Self.json($0.body) }
            #expect((page["issues"] as? [[String: Any]])?.count ?? 0 >= 200)
            // Before: 573 MB. Every issue's stack is the same stored text.
            #expect(try Self.storeBytes(directory) - before < 16 * 1024 * 1024)
        }
    }

    @Test("20 MB of empty OTLP JSON resourceSpans is answered 200 and stores nothing")
    func emptyResourceSpans() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let body = "{\"resourceSpans\":[" + Array(repeating: "{}", count: 6_600_000).joined(separator: ",") + "]}"
        #expect(body.utf8.count > 19_000_000)
        try await app.test(.live) { client in
            try await client.execute(uri: "/v1/traces", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{}")
            }
            #expect(try await client.issues().isEmpty)
        }
    }

    @Test("deflate bombs, zlib-wrapped or raw, answer 413 naming the decompressed limit", arguments: ["zlib", "raw"])
    func deflateBomb(wrapping: String) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory) { $0.maxBodyBytes = 1024 * 1024 }
        var zeros = ByteBuffer(bytes: [UInt8](repeating: 0, count: 64 * 1024 * 1024))
        let bomb = try zeros.compress(with: wrapping == "zlib" ? .zlib() : .deflate())
        #expect(bomb.readableBytes < 128 * 1024)
        try await app.test(.live) { client in
            try await client.execute(
                uri: "/v0.4/traces", method: .put, headers: [.contentType: "application/msgpack", .contentEncoding: "deflate"], body: bomb
            ) { response in
                #expect(response.status == .contentTooLarge)
                let reason = try Self.errorText(response.body)
                #expect(reason.contains("(decompressed) exceeds the limit of 1048576 bytes"), "\(reason)")
            }
            try await client.execute(uri: "/info", method: .get) { #expect($0.status == .ok) }
        }
    }

    /// JSON that nests too deep is refused whole (400); a protobuf span that does is counted malformed and
    /// dropped (the payload's other spans kept, as for every malformed span), without recursing.
    @Test("deeply nested JSON answers 400, a deeply nested protobuf span is dropped; the server keeps serving", arguments: [
        ("/v1/traces", "application/json", 400, Array(("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"k\",\"value\":" + String(repeating: #"{"kvlistValue":{"values":[{"key":"k","value":"#, count: 5_000) + "{}" + String(repeating: "}]}}", count: 5_000) + "}]},\"scopeSpans\":[{\"spans\":[{}]}]}]}").utf8)),
        ("/v0.4/traces", "application/json", 400, Array(("[[" + String(repeating: "[", count: 500_000)).utf8)),
        ("/v1/traces", "application/x-protobuf", 200, Self.nestedProtobuf(depth: 2_000)),
    ])
    func deepNesting(path: String, contentType: String, status: Int, body: [UInt8]) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.live) { client in
            try await client.execute(uri: path, method: path == "/v1/traces" ? .post : .put, headers: [.contentType: contentType], body: ByteBuffer(bytes: body)) { response in
                #expect(response.status.code == status, "\(String(buffer: response.body).prefix(300))")
                if status == 400 {
                    let reason = try Self.errorText(response.body)
                    #expect(!reason.isEmpty)
                }
            }
            try await client.execute(uri: "/info", method: .get) { #expect($0.status == .ok) }
            #expect(try await client.issues().isEmpty)
        }
    }

    /// An export whose one error span's exception attribute nests AnyValue kvlists `depth` deep.
    static func nestedProtobuf(depth: Int) -> [UInt8] {
        func field(_ number: Int, _ payload: [UInt8]) -> [UInt8] { [UInt8(number << 3 | 2)] + varint(payload.count) + payload }
        func varint(_ value: Int) -> [UInt8] {
            var remaining = value
            var out: [UInt8] = []
            repeat {
                var byte = UInt8(remaining & 0x7f)
                remaining >>= 7
                if remaining > 0 { byte |= 0x80 }
                out.append(byte)
            } while remaining > 0
            return out
        }
        // AnyValue.kvlist_value (6) → KeyValueList.values (1) → KeyValue.value (2) → AnyValue …
        var value: [UInt8] = field(1, Array("leaf".utf8))
        for _ in 0..<depth {
            value = field(6, field(1, field(1, Array("k".utf8)) + field(2, value)))
        }
        let attribute = field(1, Array("exception.stacktrace".utf8)) + field(2, value)
        let event = field(2, Array("exception".utf8)) + field(3, attribute)
        let status: [UInt8] = [0x18, 0x02]
        let span = field(1, [UInt8](repeating: 1, count: 16)) + field(2, [UInt8](repeating: 2, count: 8)) + field(11, event) + field(15, status)
        return field(1, field(2, field(2, span)))
    }

    // MARK: - Path mappings

    @Test("path mappings that climb out of the repository or name an absolute source root answer 400", arguments: [
        ("/app", "../../etc"), ("/app", "/etc"), ("/app", "src/../../etc"), ("/app/../..", "src"), ("/app", "C:\\Windows"),
        ("/app", "..\\..\\etc"), ("", "src"), ("/app", "~/secrets"), ("/app", "src\u{0}"),
    ])
    func pathMappings(stackRoot: String, sourceRoot: String) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let bad = try Self.linkBody(stackRoot: stackRoot, sourceRoot: sourceRoot)
        let good = try Self.linkBody(stackRoot: "/app", sourceRoot: "src/shop")
        try await app.test(.live) { client in
            try await client.execute(uri: "/api/v1/repos", method: .post, headers: [.contentType: "application/json"], body: bad) { response in
                #expect(response.status == .badRequest)
                let reason = try Self.errorText(response.body)
                #expect(reason.contains("path mapping"), "\(reason)")
            }
            try await client.execute(uri: "/api/v1/repos", method: .post, headers: [.contentType: "application/json"], body: good) { response in
                #expect(response.status == .created)
            }
        }
    }
}
