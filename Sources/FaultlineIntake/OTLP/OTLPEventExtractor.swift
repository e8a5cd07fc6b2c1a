import FaultlineCore
import Foundation

typealias OTLPExportRequest = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
typealias OTLPSpan = Opentelemetry_Proto_Trace_V1_Span

/// Applies the entry-span rule to an OTLP export: a span with status ERROR (what Datadog maps to
/// `error = 1`) whose last `exception` event carries the stack, on a span that is its
/// service's entry (a root, or a SERVER/CONSUMER span whose parent is remote).
struct OTLPEventExtractor {
    var options: IntakeOptions

    /// `SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK` and `SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK`.
    private static let hasIsRemote: UInt32 = 0x100
    private static let isRemote: UInt32 = 0x200

    /// Evaluates a protobuf `ExportTraceServiceRequest`. A first pass walks the wire format and reads
    /// only ids, kind, flags and status code; swift-protobuf decodes the few spans (and their
    /// resource) that may become events.
    func extract(_ body: UnsafeRawBufferPointer) throws(IntakeError) -> IntakeBatch {
        let scan = try OTLPWireScan.scan(body)
        var batch = IntakeBatch(stats: scan.stats)
        var payloadSpanIDs: Set<UInt64>?
        for group in scan.groups {
            var resource: OTLPResourceContext?
            if !group.entries.isEmpty {
                if payloadSpanIDs == nil { payloadSpanIDs = Set(scan.spanIDs) }
                let entries = group.entries.filter { isEntry($0, payloadSpanIDs: payloadSpanIDs ?? []) }
                if !entries.isEmpty, let decoded = try? Opentelemetry_Proto_Resource_V1_Resource(serializedBytes: group.resource.flatMap { Array(body[$0]) }) {
                    let context = OTLPResourceContext(decoded.attributes)
                    resource = context
                    for entry in entries {
                        batch.entrySpans.append(EntrySpanSighting(
                            service: context.service, env: context.env, version: context.version,
                            startNanos: Int64(clamping: entry.startNanos), isError: entry.hasErrorStatus))
                    }
                }
            }
            for summary in group.candidates {
                if options.entrySpansOnly {
                    if payloadSpanIDs == nil { payloadSpanIDs = Set(scan.spanIDs) }
                    guard isEntry(summary, payloadSpanIDs: payloadSpanIDs ?? []) else {
                        batch.stats.skippedNotEntry += 1
                        continue
                    }
                }
                guard let span = try? OTLPSpan(serializedBytes: Array(body[summary.range])),
                      span.traceID.count == 16, span.spanID.count == 8 else {
                    batch.stats.skippedMalformed += 1
                    continue
                }
                guard span.status.code == .error else {
                    batch.stats.skippedNoError += 1
                    continue
                }
                if resource == nil {
                    guard let decoded = try? Opentelemetry_Proto_Resource_V1_Resource(serializedBytes: group.resource.flatMap { Array(body[$0]) }) else {
                        batch.stats.skippedMalformed += 1
                        continue
                    }
                    resource = OTLPResourceContext(decoded.attributes)
                }
                guard let exception = span.events.last(where: { $0.name == "exception" }),
                      let event = event(span, exception: exception, resource: resource ?? OTLPResourceContext([])) else {
                    batch.stats.skippedNoStack += 1
                    continue
                }
                batch.events.append(event)
                batch.stats.errorEvents += 1
            }
        }
        return batch
    }

    /// A root, or a SERVER/CONSUMER span whose parent is remote: by the span's flags when the SDK
    /// set them, else because the parent is not in this export.
    private func isEntry(_ span: OTLPWireScan.SpanSummary, payloadSpanIDs: Set<UInt64>) -> Bool {
        guard let parent = span.parentSpanID else { return true }
        guard span.kind == 2 || span.kind == 5 else { return false }
        if span.flags & Self.hasIsRemote != 0 {
            return span.flags & Self.isRemote != 0
        }
        return !payloadSpanIDs.contains(parent)
    }

    private func event(_ span: OTLPSpan, exception: OTLPSpan.Event, resource: OTLPResourceContext) -> ErrorEvent? {
        guard let stack = exception.attributes.string("exception.stacktrace") else { return nil }
        let type = exception.attributes.string("exception.type")
        let message = exception.attributes.string("exception.message")
        guard type != nil || message != nil else { return nil }

        var spanTags = resource.spanTags
        var hostTags = resource.hostTags
        var containerTags = resource.containerTags
        var metrics: [String: Double] = [:]
        for attribute in span.attributes where !OTLPResourceContext.consumedKeys.contains(attribute.key) {
            if let metric = attribute.value.metric {
                metrics[attribute.key] = metric
            } else {
                TagClassifier.file(attribute.key, attribute.value.tagString, span: &spanTags, host: &hostTags, container: &containerTags)
            }
        }
        if !span.status.message.isEmpty { spanTags["otel.status_description"] = span.status.message }
        spanTags["span.kind"] = Self.kindName(span.kind)

        let start = span.startTimeUnixNano
        let end = span.endTimeUnixNano
        return ErrorEvent(
            traceID: Hex.string(span.traceID),
            spanID: Hex.string(span.spanID),
            service: span.attributes.string("service.name") ?? resource.service,
            env: span.attributes.string("deployment.environment.name") ?? span.attributes.string("deployment.environment") ?? resource.env,
            version: span.attributes.string("service.version") ?? resource.version,
            resource: span.attributes.string("http.route").map { route in
                // `http.method` is the older semantic conventions' name, still sent by Python's instrumentations.
                (span.attributes.string("http.request.method") ?? span.attributes.string("http.method")).map { "\($0) \(route)" } ?? route
            } ?? span.name,
            operation: span.name,
            startNanos: Int64(clamping: start),
            durationNanos: end > start ? Int64(clamping: end - start) : 0,
            errorType: type ?? "",
            errorMessage: message ?? "",
            errorStack: stack,
            language: resource.language,
            fingerprintOverride: span.attributes.string("error.fingerprint"),
            spanTags: spanTags,
            hostTags: hostTags,
            containerTags: containerTags,
            metrics: metrics,
            git: OTLPResourceContext.gitLink(span.attributes) ?? resource.git,
            origin: .otlp
        )
    }

    private static func kindName(_ kind: OTLPSpan.SpanKind) -> String {
        switch kind {
        case .internal: return "internal"
        case .server: return "server"
        case .client: return "client"
        case .producer: return "producer"
        case .consumer: return "consumer"
        default: return "unspecified"
        }
    }
}
