import FaultlineCore
import FaultlineEnrichment
import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/api/v1/repos`: manual repository links, mirror states, and re-enrichment on demand.
struct RepositoryController<Context: RequestContext>: Sendable {
    let store: IssueStore
    let allowList: RepositoryAllowList
    /// Wakes the enrichment worker after a change.
    let onChange: @Sendable () -> Void

    func addRoutes(to router: Router<Context>) {
        let repos = router.group("/api/v1/repos")
        repos.get { _, _ in
            try APIController<Context>.json(try await RepositoryListResponse.read(from: store))
        }
        repos.post { request, _ in
            var request = request
            let body = try await Self.decode(RepositoryLinkRequest.self, from: &request)
            let link = try body.link(allowedBy: allowList)
            let stored = try await store.linkRepository(link)
            onChange()
            var response = try APIController<Context>.json(stored)
            response.status = .created
            return response
        }
        repos.delete { request, _ in
            let parameters = APIController<Context>.queryParameters(request)
            guard let service = parameters["service"], !service.isEmpty else {
                throw APIError.badRequest("service query parameter is required")
            }
            let version = parameters["version"].flatMap { $0.isEmpty ? nil : $0 }
            guard try await store.unlinkRepository(service: service, version: version) else {
                throw APIError.notFound("no link for service \(service)\(version.map { " version \($0)" } ?? "")")
            }
            onChange()
            return Response(status: .noContent)
        }
        repos.post("sync") { request, _ in
            let parameters = APIController<Context>.queryParameters(request)
            let service = parameters["service"].flatMap { $0.isEmpty ? nil : $0 }
            let invalidated = try await store.invalidateEnrichments(service: service)
            onChange()
            var response = try APIController<Context>.json(RepositorySyncResponse(invalidated: invalidated))
            response.status = .accepted
            return response
        }
    }

    static func decode<T: Decodable>(
        _ type: T.Type, from request: inout Request,
        example: String = #"{"service": "checkout", "url": "https://github.com/acme/checkout"}"#
    ) async throws -> T {
        if let contentType = ContentType.of(request), !ContentType.jsonTypes.contains(contentType) {
            throw APIError(.unsupportedMediaType, "body must be application/json")
        }
        let body = try await request.collectBody(upTo: 64 * 1024)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: body))
        } catch {
            throw APIError.badRequest("body must be a JSON object like \(example)")
        }
    }
}
