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
