import HTTPTypes
import Hummingbird

/// Answers 405 with an `Allow` header and a JSON reason when a request's path is a route but its method
/// is not (HEAD included: no route answers HEAD), instead of the router's 404.
///
/// A router middleware added after every route, so it runs only for requests no route matched, and
/// knows every route's path and methods.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// One route path and the methods it answers.
    struct Endpoint: Sendable {
        var path: RouterPath
        var methods: [HTTPRequest.Method]
        /// Literal components: when several paths match (`/repos/sync`, `/repos/:key`), the router takes the most literal one.
        var literals: Int
    }

    let endpoints: [Endpoint]

    init(routes: [Router<Context>.RouteDescription]) {
        var byPath: [String: Endpoint] = [:]
        for route in routes {
            let literals = route.path.components.filter(Self.isLiteral).count
            byPath[route.path.description, default: Endpoint(path: route.path, methods: [], literals: literals)].methods.append(route.method)
        }
        endpoints = byPath.values.sorted { $0.literals > $1.literals }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        guard let endpoint = endpoints.first(where: { Self.matches($0.path, segments) }),
              !endpoint.methods.contains(request.method)
        else {
            return try await next(request, context)
        }
        let allowed = endpoint.methods.map(\.rawValue).sorted().joined(separator: ", ")
        var response = APIError.jsonResponse(status: .methodNotAllowed, reason: "method \(Self.methodName(request.method)) is not allowed here; allowed: \(allowed)")
        response.headers[.allow] = allowed
        return response
    }

    static func matches(_ path: RouterPath, _ segments: [Substring]) -> Bool {
        guard path.components.count == segments.count else { return false }
        return zip(path.components, segments).allSatisfy { element, segment in element ~= segment }
    }

    /// A component that only matches itself (no capture or wildcard).
    static func isLiteral(_ element: RouterPath.Element) -> Bool {
        !element.description.contains { ":*{}".contains($0) }
    }

    /// The method as sent when it is short and plain; a client's odd method name is not echoed.
    static func methodName(_ method: HTTPRequest.Method) -> String {
        method.rawValue.utf8.count <= 16 && method.rawValue.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) ? method.rawValue : "this method"
    }
}
