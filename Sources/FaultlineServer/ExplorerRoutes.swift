import FaultlineExplorer
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The web explorer at `/`: its embedded HTML, CSS and JavaScript. Everything else it shows comes
/// from the JSON API under `/api/v1`.
///
/// A router middleware rather than routes: the router's routes are the documented API (the OpenAPI
/// test checks them), and the router runs its middleware for requests no route matched, which is
/// where `GET /` and the asset paths end up.
struct ExplorerRoutes<Context: RequestContext>: RouterMiddleware {
    /// Only this server's own origin: the page may not load or send anything elsewhere.
    static var contentSecurityPolicy: String {
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head,
              let asset = ExplorerAssets.entry(path: request.uri.path)
        else {
            return try await next(request, context)
        }
        let response = Self.response(for: asset, request: request)
        return request.method == .head ? Response(status: response.status, headers: response.headers) : response
    }

    /// The asset with validators: browsers revalidate each load (`no-cache`) and get 304 when unchanged,
    /// so a new binary's assets are picked up at once.
    static func response(for asset: ExplorerAssets.Asset, request: Request) -> Response {
        var headers: HTTPFields = [
            .contentType: asset.contentType,
            .cacheControl: "no-cache",
            .eTag: asset.etag,
            .xContentTypeOptions: "nosniff",
        ]
        if asset.contentType.hasPrefix("text/html") {
            headers[.contentSecurityPolicy] = contentSecurityPolicy
            // `same-origin`, not `no-referrer`: with no-referrer browsers send `Origin: null` even on the page's own
            // POST/PATCH/DELETE, and the API's same-origin check for signed-in changes needs the real origin.
            headers[.referrerPolicy] = "same-origin"
        }
        if let tags = request.headers[.ifNoneMatch], Self.matches(tags, etag: asset.etag) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.body)))
    }

    /// `If-None-Match` holds `*` or a comma-separated list of (possibly weak) entity tags.
    static func matches(_ header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == etag
        }
    }
}

extension HTTPField.Name {
    // Literal, valid field names: the initialiser only fails on malformed names.
    fileprivate static let xContentTypeOptions = Self("X-Content-Type-Options")!
    fileprivate static let referrerPolicy = Self("Referrer-Policy")!
}
