import FaultlineCore
import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The JSON API under `/api/v1`. Who may call what is ``APIAccessMiddleware``'s concern.
struct APIController<Context: RequestContext>: Sendable {
    let repository: any IssueRepository

    /// The routes, with the request's principal recorded as the actor of status changes.
    func addRoutes(to router: Router<Context>) where Context: AuthenticatedRequestContext {
        router.get("/api/v1/openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
            )
        }
        let api = router.group("/api/v1")
        api.get("issues") { request, _ in
            let raw = Self.queryParameters(request)
            let parameters = try IssueListRequest(parameters: raw)
            let page = try await repository.issuePage(parameters)
            guard try Self.flag(raw["hourly"], name: "hourly") else { return try Self.json(page) }
            // The range asked for, else the last 24 hours (what the explorer's list shows by default).
            let to = parameters.to ?? Date()
            let from = parameters.from ?? to.addingTimeInterval(-24 * 3600)
            let counts = try await repository.hourlyCounts(issueIDs: page.issues.map(\.id), from: from, to: to)
            return try Self.json(IssuePageWithHourlyCounts(page: page, hourlyCounts: counts))
        }
        api.get("issues/:id") { _, context in
            let id = try Self.issueID(context)
            guard let detail = try await repository.issueDetail(id: id) else { throw APIError.notFound("no issue \(id)") }
            return try Self.json(detail)
        }
        api.patch("issues/:id") { request, context in
            let id = try Self.issueID(context)
            var request = request
            let change = try await Self.statusChange(&request)
            guard let issue = try await repository.changeStatus(issueID: id, to: change, actor: context.actor) else { throw APIError.notFound("no issue \(id)") }
            return try Self.json(issue)
        }
        api.get("issues/:id/events") { request, context in
            let id = try Self.issueID(context)
            let parameters = Self.queryParameters(request)
            let limit = try IssueListRequest.limit(parameters["limit"])
            guard let page = try await repository.eventPage(issueID: id, limit: limit, cursor: parameters["cursor"]) else {
                throw APIError.notFound("no issue \(id)")
            }
            return try Self.json(page)
        }
        api.get("services") { request, _ in
            let from = try IssueListRequest.date(Self.queryParameters(request)["from"], name: "from")
            return try Self.json(ServiceListResponse(services: try await repository.services(from: from)))
        }
        api.get("facets") { request, _ in
            let parameters = try IssueListRequest(parameters: Self.queryParameters(request))
            return try Self.json(try await repository.facetCounts(parameters))
        }
        api.get("export") { request, _ in
            let raw = Self.queryParameters(request)
            let format = try ExportFormat(raw["format"])
            let parameters = try IssueListRequest(parameters: raw)
            let issues = repository.exportIssues(parameters)
            return Response(
                status: .ok,
                headers: [.contentType: format.contentType],
                body: ResponseBody { writer in
                    var encoder = ExportEncoder(format: format)
                    for try await issue in issues {
                        try await writer.write(ByteBuffer(bytes: try encoder.encode(issue)))
                    }
                    try await writer.write(ByteBuffer(bytes: encoder.finish()))
                    try await writer.finish(nil)
                }
            )
        }
    }

    /// The query string as form fields: `+` is a space (as browsers and `urlencode` write it), `%2B` a plus.
    static func queryParameters(_ request: Request) -> [String: String] {
        var parameters: [String: String] = [:]
        guard let query = request.uri.query, !query.isEmpty else { return parameters }
        for field in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pair = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = formDecode(pair[0])
            let value = pair.count > 1 ? formDecode(pair[1]) : ""
            parameters[key] = value
        }
        return parameters
    }

    static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    static func issueID(_ context: Context) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.badRequest("issue id must be a positive integer")
        }
        return id
    }

    static func statusChange(_ request: inout Request) async throws -> IssueStatus {
        if let type = ContentType.of(request), !ContentType.jsonTypes.contains(type) {
            throw APIError(.unsupportedMediaType, "PATCH body must be application/json")
        }
        let body = try await request.collectBody(upTo: 64 * 1024)
        let change: StatusChangeRequest
        do {
            change = try JSONDecoder().decode(StatusChangeRequest.self, from: Data(buffer: body))
        } catch {
            throw APIError.badRequest(#"body must be a JSON object like {"status": "resolved"}"#)
        }
        guard let status = IssueStatus(rawValue: change.status.lowercased()) else {
            throw APIError.badRequest("status must be one of \(IssueStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return status
    }

    /// A boolean query parameter: absent is false; `true`/`1` and `false`/`0` are accepted.
    static func flag(_ text: String?, name: String) throws(IssueListParameterError) -> Bool {
        switch text?.lowercased() {
        case nil, "", "false", "0": return false
        case "true", "1": return true
        default: throw IssueListParameterError("\(name) must be true or false")
        }
    }

    static func json(_ value: some Encodable) throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder.api.encode(value)))
        )
    }
}
