import FaultlineIntake
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns every error a route throws into a JSON `{"error": …}` response with the right status, and
/// logs server-side failures: the one place where domain errors (intake's, the API's) become statuses.
/// Hummingbird's own errors (no route, body too large) keep their status.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            if error.status.code >= 500 {
                context.logger.error("Request failed", metadata: ["http.path": "\(request.uri.path)", "error.reason": "\(error.reason)"])
            }
            return APIError.jsonResponse(status: error.status, reason: error.reason, position: error.position)
        } catch let error as IssueListParameterError {
            return APIError.jsonResponse(status: .badRequest, reason: error.reason, position: error.position)
        } catch let error as RepositoryLinkError {
            return APIError.jsonResponse(status: .badRequest, reason: error.reason)
        } catch let error as IntakeError {
            let status: HTTPResponse.Status = switch error.kind {
            case .malformedPayload: .badRequest
            case .unsupportedMediaType: .unsupportedMediaType
            }
            return APIError.jsonResponse(status: status, reason: error.reason)
        } catch let error as HTTPError {
            let reason = error.body ?? Self.defaultReason(error.status)
            return APIError.jsonResponse(status: error.status, reason: reason)
        } catch is NIOTooManyBytesError {
            return APIError.jsonResponse(status: .contentTooLarge, reason: "request body exceeds the size limit")
        } catch let error as HTTPResponseError {
            return APIError.jsonResponse(status: error.status, reason: Self.defaultReason(error.status))
        } catch {
            context.logger.error("Request failed", metadata: ["http.path": "\(request.uri.path)", "error.type": "\(type(of: error))"])
            return APIError.jsonResponse(status: .internalServerError, reason: "internal error")
        }
    }

    static func defaultReason(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "no such route"
        case .methodNotAllowed: "method not allowed on this route"
        case .contentTooLarge: "request body exceeds the size limit"
        default: status.reasonPhrase.isEmpty ? "request failed" : status.reasonPhrase.lowercased()
        }
    }
}
