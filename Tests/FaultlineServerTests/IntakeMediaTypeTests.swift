import FaultlineServer
import FaultlineTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every intake route through the real router with each media type of the shared table: what the
/// Datadog agent and the OpenTelemetry collector accept is stored, anything else answers 415.
@Suite("Intake media types")
struct IntakeMediaTypeTests {
    static func headers(_ row: IntakeMediaTypeCase) -> HTTPFields {
        var headers: HTTPFields = [:]
        if let contentType = row.contentType { headers[.contentType] = contentType }
        return headers
    }

    @Test("an accepted media type is decoded and its events are stored", arguments: IntakeMediaTypeCase.accepted)
    func accepted(_ row: IntakeMediaTypeCase) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let body = try Data(contentsOf: row.fixtureURL)
        try await app.test(.router) { client in
            try await client.execute(uri: row.route, method: .post, headers: Self.headers(row), body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                if row.route == "/v1/traces" {
                    // The answer is an empty ExportTraceServiceResponse in the request's encoding.
                    let json = row.format == "otlp-json"
                    #expect(response.headers[.contentType] == (json ? "application/json" : "application/x-protobuf"))
                    #expect(String(buffer: response.body) == (json ? "{}" : ""))
                }
            }
            #expect(try await !client.issues().isEmpty)
        }
    }

    @Test("another media type answers 415 with a JSON reason naming it, and stores nothing", arguments: IntakeMediaTypeCase.refused)
    func refused(_ row: IntakeMediaTypeCase) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        let body = try Data(contentsOf: row.fixtureURL)
        try await app.test(.router) { client in
            for method in row.route == "/v1/traces" ? [HTTPRequest.Method.post] : [.put, .post] {
                try await client.execute(uri: row.route, method: method, headers: Self.headers(row), body: ByteBuffer(bytes: body)) { response in
                    #expect(response.status == .unsupportedMediaType)
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                    let reason = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))["error"] ?? ""
                    #expect(reason.contains("unsupported Content-Type '\(row.contentType?.lowercased() ?? "")'"), "\(reason)")
                    #expect(reason.contains(row.route))
                }
            }
            #expect(try await client.issues().isEmpty)
        }
    }
}
