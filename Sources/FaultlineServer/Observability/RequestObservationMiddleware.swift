import FaultlineIntake
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Prometheus

/// The outermost middleware of every route: gives the request its id (a tracer's or proxy's valid
/// `x-request-id`, else Hummingbird's), puts it in the log metadata (`hb.request.id`) and the answer's
/// `x-request-id` header, logs the request at debug with its query values redacted, and times intake and
/// API answers into ``ServerMetrics``.
struct RequestObservationMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        let id = Self.acceptedRequestID(request.headers[.xRequestID]) ?? context.id
        context.logger[metadataKey: "hb.request.id"] = .string(id)
        context.logger.debug(
            "Request",
            metadata: [
                "http.method": .string(request.method.rawValue),
                // Cut short: a path is the client's text, and a log line should stay a line.
                "http.path": .string(String(request.uri.path.prefix(512))),
                "http.query": .string(QueryRedaction.redacted(request.uri.query ?? "")),
            ]
        )
        var response = try await next(request, context)
        response.headers[.xRequestID] = id
        let histogram = histogram(for: request, context: context, status: response.status)
        let logger = context.logger
        let status = response.status.code
        // Timed once the whole body is written (an export streams for a while after its head).
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer {
                let elapsed = ContinuousClock.now - started
                histogram?.record(elapsed)
                logger.debug("Response", metadata: ["http.status": "\(status)", "http.duration_ms": "\(Self.milliseconds(elapsed))"])
            }
            try await body.write(writer)
        }
        return response
    }

    /// Which latency histogram a request belongs to: intake routes and `/api/` routes are timed; the
    /// explorer's assets, health and metrics are not.
    private func histogram(for request: Request, context: Context, status: HTTPResponse.Status) -> DurationHistogram? {
        guard let metrics else { return nil }
        let path = request.uri.path
        // Intake routes are timed by path: they have no parameters.
        if IntakeRoute(rawValue: path) != nil {
            return metrics.intakeRequestDuration(route: path, status: status.code)
        }
        if path.hasPrefix("/api/") {
            // The route template, never the raw path: its label values stay few whatever clients send.
            let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
            return metrics.apiRequestDuration(route: route, method: Self.methodLabel(request.method), status: status.code)
        }
        return nil
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    /// The standard methods by name; anything else as `other`, so clients cannot add label values.
    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "other"
        }
    }

    /// A caller's request id is kept when it is 1…128 characters of letters, digits and `-_.:`: enough
    /// for UUIDs and trace ids, nothing that could break a log line.
    static func acceptedRequestID(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count) else { return nil }
        let allowed = value.utf8.allSatisfy { byte in
            (QueryRedaction.isTokenByte(byte) && byte != UInt8(ascii: "/") && byte != UInt8(ascii: "~")) || byte == UInt8(ascii: ":")
        }
        return allowed ? value : nil
    }
}

extension HTTPField.Name {
    /// The request id header, read from the caller and echoed in every answer (a literal, valid name).
    static let xRequestID = Self("X-Request-ID")!
}
