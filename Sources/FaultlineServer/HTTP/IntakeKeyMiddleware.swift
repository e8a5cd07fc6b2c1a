import Foundation
import HTTPTypes
import Hummingbird

/// Requires the configured key in the `DD-API-KEY` header on intake routes: 401 when missing, 403 when wrong.
struct IntakeKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let name = HTTPField.Name("DD-API-KEY"), let sent = request.headers[name] else {
            throw APIError(.unauthorized, "missing DD-API-KEY header")
        }
        guard SecretComparison.equal(sent, key) else {
            throw APIError(.forbidden, "DD-API-KEY is not valid")
        }
        return try await next(request, context)
    }
}

/// Requires `Authorization: Bearer <token>` on API routes: 401 when missing, 403 when wrong.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "missing Authorization: Bearer token")
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else {
            throw APIError(.unauthorized, "Authorization must use the Bearer scheme")
        }
        guard SecretComparison.equal(String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces), token) else {
            throw APIError(.forbidden, "bearer token is not valid")
        }
        return try await next(request, context)
    }
}

/// Compares secrets in time independent of where they first differ.
enum SecretComparison {
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
