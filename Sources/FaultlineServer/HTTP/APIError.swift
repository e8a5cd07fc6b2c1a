import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answered to the client as `{"error": "<reason>"}` with its status; the reason names
/// what was wrong and never repeats payload contents or secrets.
public struct APIError: Error, HTTPResponseError, Sendable, Hashable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var reason: String
    /// Character offset in the query text, for query-language errors.
    public var position: Int?

    public init(_ status: HTTPResponse.Status, _ reason: String, position: Int? = nil) {
        self.status = status
        self.reason = reason
        self.position = position
    }

    public var description: String { "\(status.code) \(reason)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.jsonResponse(status: status, reason: reason, position: position)
    }

    /// The JSON error body every failure path answers with.
    static func jsonResponse(status: HTTPResponse.Status, reason: String, position: Int? = nil) -> Response {
        let body = ErrorBody(error: reason, position: position)
        let data = (try? JSONEncoder.api.encode(body)) ?? Data(#"{"error":"internal error"}"#.utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func badRequest(_ reason: String) -> APIError { APIError(.badRequest, reason) }
    static func notFound(_ reason: String) -> APIError { APIError(.notFound, reason) }
}

/// The body of every error response.
struct ErrorBody: Codable, Sendable {
    var error: String
    var position: Int?
}
