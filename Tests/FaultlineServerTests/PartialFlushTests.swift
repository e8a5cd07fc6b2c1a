import FaultlineCore
import FaultlineServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// ddtrace's partial flush sends a chunk without its root; the tracer's own `_dd.top_level` marks, which it
/// vouches for with `Datadog-Client-Computed-Top-Level`, decide the entry spans (as Datadog's agent does).
@Suite("Partial flush")
struct PartialFlushTests {
    static let payload = TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/intake/ddtrace-partial/payload-1.msgpack")

    @Test("with the tracer's header, a rootless chunk's child error is not an entry", arguments: [true, false])
    func partialFlush(sendsHeader: Bool) async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = [UInt8](try Data(contentsOf: Self.payload))
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            var headers: HTTPFields = [.contentType: "application/msgpack"]
            if sendsHeader, let name = HTTPField.Name("Datadog-Client-Computed-Top-Level") {
                headers[name] = "true"
            }
            try await client.execute(uri: "/v0.5/traces", method: .put, headers: headers, body: ByteBuffer(bytes: bytes)) { response in
                #expect(response.status == .ok)
            }
            let types = Set(try await client.issues().map(\.errorType))
            if sendsHeader {
                #expect(types == ["TimeoutError"])
            } else {
                // Without the header only the parent rule is left, and the orphaned child counts as an entry.
                #expect(types == ["TimeoutError", "LookupError"])
            }
        }
    }
}
