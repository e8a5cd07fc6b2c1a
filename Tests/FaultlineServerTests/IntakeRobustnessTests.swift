import CompressNIO
import FaultlineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Bad payloads of each kind get a 4xx with a JSON reason, and the server keeps serving.
@Suite("Intake robustness")
struct IntakeRobustnessTests {
    struct BadPayload: Sendable, CustomStringConvertible {
        var name: String
        var path: String
        var contentType: String?
        var contentEncoding: String?
        var body: @Sendable () throws -> [UInt8]
        var status: HTTPResponse.Status
        var description: String { name }
    }

    static let badPayloads: [BadPayload] = [
        BadPayload(name: "truncated v0.5 msgpack", path: "/v0.5/traces", contentType: "application/msgpack",
                   body: { Array(try TestEnvironment.fixtureBytes("ddtrace-python-v05.msgpack").prefix(700)) }, status: .badRequest),
        BadPayload(name: "truncated v0.4 msgpack", path: "/v0.4/traces", contentType: "application/msgpack",
                   body: { Array(try TestEnvironment.fixtureBytes("ddtrace-python-v04.msgpack").prefix(900)) }, status: .badRequest),
        BadPayload(name: "msgpack reserved byte", path: "/v0.4/traces", contentType: "application/msgpack",
                   body: { [0xc1, 0x00, 0x01] }, status: .badRequest),
        BadPayload(name: "v0.4 JSON that is not JSON", path: "/v0.4/traces", contentType: "application/json",
                   body: { Array(#"[[{"trace_id": 1, "span_id": 2, "#.utf8) }, status: .badRequest),
        BadPayload(name: "truncated OTLP protobuf", path: "/v1/traces", contentType: "application/x-protobuf",
                   body: { Array(try TestEnvironment.fixtureBytes("otel-python.pb").prefix(200)) }, status: .badRequest),
        BadPayload(name: "OTLP JSON that is not JSON", path: "/v1/traces", contentType: "application/json",
                   body: { Array(#"{"resourceSpans": [{"resource": "#.utf8) }, status: .badRequest),
        BadPayload(name: "text/plain on v0.4", path: "/v0.4/traces", contentType: "text/plain",
                   body: { Array("hello".utf8) }, status: .unsupportedMediaType),
        BadPayload(name: "JSON on v0.5", path: "/v0.5/traces", contentType: "application/json",
                   body: { Array("[]".utf8) }, status: .unsupportedMediaType),
        BadPayload(name: "text/plain on OTLP", path: "/v1/traces", contentType: "text/plain",
                   body: { Array("hello".utf8) }, status: .unsupportedMediaType),
        BadPayload(name: "gzip header, garbage after", path: "/v0.5/traces", contentType: "application/msgpack", contentEncoding: "gzip",
                   body: { [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x11] }, status: .badRequest),
        BadPayload(name: "unknown Content-Encoding", path: "/v0.4/traces", contentType: "application/msgpack", contentEncoding: "br",
                   body: { [0x90] }, status: .unsupportedMediaType),
        BadPayload(name: "body over 25 MB", path: "/v0.4/traces", contentType: "application/msgpack",
                   body: { [UInt8](repeating: 0x90, count: 25 * 1024 * 1024 + 1) }, status: .contentTooLarge),
    ]

    @Test("bad payload answers 4xx with a JSON reason, then a real payload still gets 200", arguments: badPayloads)
    func badPayload(_ payload: BadPayload) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let good = try TestEnvironment.fixtureBytes("ddtrace-python-v05.msgpack")
        try await app.test(.router) { client in
            var headers: HTTPFields = [:]
            if let contentType = payload.contentType { headers[.contentType] = contentType }
            if let encoding = payload.contentEncoding { headers[.contentEncoding] = encoding }
            try await client.execute(uri: payload.path, method: .post, headers: headers, body: ByteBuffer(bytes: try payload.body())) { response in
                #expect(response.status == payload.status)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let body = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
                #expect(body["error"]?.isEmpty == false)
            }
            try await client.execute(uri: "/v0.5/traces", method: .put, headers: [.contentType: "application/msgpack"], body: ByteBuffer(bytes: good)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("gzip, zlib-wrapped deflate and raw deflate bodies are decompressed", arguments: [
        ("gzip", "gzip"), ("deflate", "zlib"), ("deflate", "raw"),
    ])
    func compressedBody(encoding: String, wrapping: String) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        var buffer = ByteBuffer(bytes: try TestEnvironment.fixtureBytes("ddtrace-python-v05.msgpack"))
        let algorithm: CompressionAlgorithm = switch wrapping {
        case "gzip": .gzip()
        case "zlib": .zlib()
        default: .deflate()
        }
        let compressed = try buffer.compress(with: algorithm)
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v0.5/traces", method: .post,
                headers: [.contentType: "application/msgpack", .contentEncoding: encoding], body: compressed
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("rate_by_service"))
            }
            try await client.execute(uri: "/api/v1/issues", method: .get) { response in
                #expect(response.status == .ok)
                let page = try JSONDecoder.test.decode(IssuePageResponse.self, from: Data(buffer: response.body))
                #expect(!page.issues.isEmpty)
            }
        }
    }

    @Test("a decompression bomb is refused with 413")
    func decompressionBomb() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory) { $0.maxBodyBytes = 1024 * 1024 }
        var zeros = ByteBuffer(bytes: [UInt8](repeating: 0, count: 8 * 1024 * 1024))
        let bomb = try zeros.compress(with: .gzip())
        #expect(bomb.readableBytes < 1024 * 1024)
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v0.4/traces", method: .put,
                headers: [.contentType: "application/msgpack", .contentEncoding: "gzip"], body: bomb
            ) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("unknown routes answer 404 in JSON")
    func unknownRoute() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v0.3/traces", method: .put) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
        }
    }

    @Test("GET /info lists the trace endpoints like the Datadog agent")
    func info() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.execute(uri: "/info", method: .get) { response in
                #expect(response.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let endpoints = object?["endpoints"] as? [String] ?? []
                #expect(endpoints.contains("/v0.4/traces"))
                #expect(endpoints.contains("/v0.5/traces"))
                #expect(object?["client_drop_p0s"] as? Bool == false)
                #expect(object?["version"] is String)
            }
        }
    }
}
