import FaultlineCore
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
            traces.on("/v0.4/traces", method: method) { request, context in
                try await datadog(request, context: context, kind: .datadogV04)
            }
            traces.on("/v0.5/traces", method: method) { request, context in
                try await datadog(request, context: context, kind: .datadogV05)
            }
        }
        traces.post("/v1/traces") { request, context in
            try await otlp(request, context: context)
        }
    }

    private func datadog(_ request: Request, context: Context, kind: IngestPipeline.PayloadKind) async throws -> Response {
        let contentType = ContentType.of(request)
        let acceptsJSON = kind == .datadogV04
        if let contentType, !ContentType.msgpackTypes.contains(contentType), !(acceptsJSON && ContentType.jsonTypes.contains(contentType)) {
            throw APIError(
                .unsupportedMediaType,
                "unsupported Content-Type '\(contentType)' for \(acceptsJSON ? "v0.4" : "v0.5") traces (use application/msgpack\(acceptsJSON ? " or application/json" : ""))"
            )
        }
        let body = try await bodyReader.read(request)
        let topLevel = IntakeDecoder.clientComputedTopLevel(header: IntakeDecoder.clientComputedTopLevelHeader.flatMap { request.headers[$0] })
        try await pipeline.ingest(body: body, kind: kind, contentType: contentType, clientComputedTopLevel: topLevel, logger: context.logger)
        // The agent answers with sampling rates; rate 1 keeps every trace coming.
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"rate_by_service":{"service:,env:":1}}"#))
        )
    }

    private func otlp(_ request: Request, context: Context) async throws -> Response {
        let contentType = ContentType.of(request) ?? "application/x-protobuf"
        let isJSON = ContentType.jsonTypes.contains(contentType)
        guard isJSON || ContentType.protobufTypes.contains(contentType) else {
            throw APIError(.unsupportedMediaType, "unsupported Content-Type '\(contentType)' for OTLP traces (use application/x-protobuf or application/json)")
        }
        let body = try await bodyReader.read(request)
        try await pipeline.ingest(body: body, kind: .otlp, contentType: contentType, logger: context.logger)
        // An empty ExportTraceServiceResponse: no bytes in protobuf, `{}` in JSON.
        return Response(
            status: .ok,
            headers: [.contentType: isJSON ? "application/json" : "application/x-protobuf"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: isJSON ? "{}" : ""))
        )
    }

    static func json(_ value: some Encodable) throws -> Response {
        let data = try JSONEncoder.api.encode(value)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
