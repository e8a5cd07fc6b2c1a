import FaultlineCore
import FaultlineServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

extension JSONDecoder {
    /// Decodes the API's ISO 8601 dates.
    static var test: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// Failures of the test helpers, named.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension TestClientProtocol {
    /// Sends a fixture payload the way its tracer did and expects 200.
    func send(fixture: String, to path: String, contentType: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let bytes = try TestEnvironment.fixtureBytes(fixture)
        try await execute(uri: path, method: path == "/v1/traces" ? .post : .put, headers: [.contentType: contentType], body: ByteBuffer(bytes: bytes)) { response in
            #expect(response.status == .ok, "\(fixture) → \(path): \(String(buffer: response.body))", sourceLocation: sourceLocation)
        }
    }

    /// GETs a path and decodes its JSON body, expecting 200.
    func getJSON<T: Decodable>(_ path: String, as type: T.Type, headers: HTTPFields = [:]) async throws -> T {
        try await execute(uri: path, method: .get, headers: headers) { response in
            guard response.status == .ok else {
                throw TestFailure("GET \(path) answered \(response.status.code): \(String(buffer: response.body))")
            }
            return try JSONDecoder.test.decode(T.self, from: Data(buffer: response.body))
        }
    }

    func issues(query: String = "", sort: String? = nil) async throws -> [FaultlineCore.Issue] {
        var components = URLComponents()
        components.path = "/api/v1/issues"
        components.queryItems = [URLQueryItem(name: "q", value: query)] + (sort.map { [URLQueryItem(name: "sort", value: $0)] } ?? [])
        return try await getJSON(components.string ?? "/api/v1/issues", as: IssuePageResponse.self).issues
    }

    /// PATCHes an issue's status and returns the response status.
    func patchStatus(_ id: Int64, _ status: String) async throws -> HTTPResponse.Status {
        try await execute(
            uri: "/api/v1/issues/\(id)", method: .patch, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"status": "\#(status)"}"#)
        ) { $0.status }
    }
}
