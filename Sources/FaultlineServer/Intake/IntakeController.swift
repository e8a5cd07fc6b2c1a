import FaultlineCore
import FaultlineIntake
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Tracer-facing routes: Datadog agent protocol (`/info`, `/v0.4/traces`, `/v0.5/traces`) and
/// OTLP/HTTP (`/v1/traces`). A request is answered 200 only after its events are committed.
struct IntakeController<Context: RequestContext>: Sendable {
    let pipeline: IngestPipeline
    let bodyReader: RequestBodyReader
    let info: AgentInfo
    let intakeAPIKey: String?

    func addRoutes(to router: Router<Context>) {
        router.get("/info") { _, _ in try Self.json(info) }
        let traces = router.group()
        if let intakeAPIKey {
            traces.add(middleware: IntakeKeyMiddleware(key: intakeAPIKey))
        }
        for method in [HTTPRequest.Method.put, .post] {
            traces.on(RouterPath(IntakeRoute.datadogV04.path), method: method) { request, context in
                try await datadog(request, context: context, route: .datadogV04)
            }
            traces.on(RouterPath(IntakeRoute.datadogV05.path), method: method) { request, context in
                try await datadog(request, context: context, route: .datadogV05)
            }
        }
        traces.post(RouterPath(IntakeRoute.otlpTraces.path)) { request, context in
            try await otlp(request, context: context)
        }
    }

    private func datadog(_ request: Request, context: Context, route: IntakeRoute) async throws -> Response {
        // The media type is checked before the body is read, so a wrong one costs no upload.
        let format = try route.format(contentType: request.headers[.contentType])
        let body = try await bodyReader.read(request)
        let topLevel = DatadogIntake.clientComputedTopLevel(header: Self.clientComputedTopLevelHeader.flatMap { request.headers[$0] })
        try await pipeline.ingest(bytes: Array(buffer: body), format: format, clientComputedTopLevel: topLevel, logger: context.logger)
        // The agent answers with sampling rates; rate 1 keeps every trace coming.
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"rate_by_service":{"service:,env:":1}}"#))
        )
    }

    private func otlp(_ request: Request, context: Context) async throws -> Response {
        let format = try IntakeRoute.otlpTraces.format(contentType: request.headers[.contentType])
        let body = try await bodyReader.read(request)
        try await pipeline.ingest(bytes: Array(buffer: body), format: format, logger: context.logger)
        // An empty ExportTraceServiceResponse: no bytes in protobuf, `{}` in JSON.
        return Response(
            status: .ok,
            headers: [.contentType: format.isJSON ? "application/json" : "application/x-protobuf"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: format.isJSON ? "{}" : ""))
        )
    }

    /// Sent by dd-trace when it marked each service entry span with `_dd.top_level` itself.
    static var clientComputedTopLevelHeader: HTTPField.Name? { HTTPField.Name(DatadogIntake.clientComputedTopLevelHeader) }

    static func json(_ value: some Encodable) throws -> Response {
        let data = try JSONEncoder.api.encode(value)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
