import FaultlineCore
import Foundation

typealias OTLPExportRequest = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
typealias OTLPSpan = Opentelemetry_Proto_Trace_V1_Span

/// Applies the entry-span rule to an OTLP export: an `exception` event on a span that is its
/// service's entry (a root, or a SERVER/CONSUMER span whose parent is remote).
struct OTLPEventExtractor {
    var options: IntakeOptions

    /// `SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK` and `SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK`.
    private static let hasIsRemote: UInt32 = 0x100
    private static let isRemote: UInt32 = 0x200

    func extract(_ request: OTLPExportRequest) -> IntakeBatch {
        var batch = IntakeBatch()
        var payloadSpanIDs: Set<Data>?
        for resourceSpans in request.resourceSpans {
            var resource: OTLPResourceContext?
            for scopeSpans in resourceSpans.scopeSpans {
                for span in scopeSpans.spans {
                    batch.stats.spansScanned += 1
                    guard span.traceID.count == 16, span.spanID.count == 8 else {
                        batch.stats.skippedMalformed += 1
                        continue
                    }
                    let exception = span.events.last { $0.name == "exception" }
                    guard exception != nil || span.status.code == .error else {
                        batch.stats.skippedNoError += 1
                        continue
                    }
                    if options.entrySpansOnly {
                        if payloadSpanIDs == nil { payloadSpanIDs = Self.spanIDs(in: request) }
                        guard isEntry(span, payloadSpanIDs: payloadSpanIDs ?? []) else {
                            batch.stats.skippedNotEntry += 1
                            continue
                        }
                    }
                    if resource == nil { resource = OTLPResourceContext(resourceSpans.resource.attributes) }
                    guard let exception, let event = event(span, exception: exception, resource: resource ?? OTLPResourceContext([])) else {
                        batch.stats.skippedNoStack += 1
                        continue
                    }
                    batch.events.append(event)
                    batch.stats.errorEvents += 1
                }
            }
        }
        return batch
    }

    private func isEntry(_ span: OTLPSpan, payloadSpanIDs: Set<Data>) -> Bool {
        guard span.parentSpanID.contains(where: { $0 != 0 }) else { return true }
        guard span.kind == .server || span.kind == .consumer else { return false }
        if span.flags & Self.hasIsRemote != 0 {
            return span.flags & Self.isRemote != 0
        }
        return !payloadSpanIDs.contains(span.parentSpanID)
    }

    private static func spanIDs(in request: OTLPExportRequest) -> Set<Data> {
        var ids = Set<Data>()
        for resourceSpans in request.resourceSpans {
            for scopeSpans in resourceSpans.scopeSpans {
                for span in scopeSpans.spans { ids.insert(span.spanID) }
            }
        }
        return ids
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
                span.attributes.string("http.request.method").map { "\($0) \(route)" } ?? route
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

/// What a resource says about every span under it: service identity, host, container and Git link.
struct OTLPResourceContext {
    var service = "unknown_service"
    var env: String?
    var version: String?
    var language: String?
    var git: GitLink?
    var spanTags: [String: String] = [:]
    var hostTags: [String: String] = [:]
    var containerTags: [String: String] = [:]

    /// Attributes that become dedicated event fields, or may carry credentials.
    static let consumedKeys: Set<String> = TagClassifier.consumedKeys.union([
        "service.name", "service.version", "deployment.environment", "deployment.environment.name",
        "telemetry.sdk.language", "vcs.repository.url.full", "vcs.ref.head.revision",
    ])

    init(_ attributes: [OTLPKeyValue]) {
        service = attributes.string("service.name") ?? service
        env = attributes.string("deployment.environment.name") ?? attributes.string("deployment.environment")
        version = attributes.string("service.version")
        language = attributes.string("telemetry.sdk.language")
        git = Self.gitLink(attributes)
        for attribute in attributes where !Self.consumedKeys.contains(attribute.key) {
            TagClassifier.file(attribute.key, attribute.value.tagString, span: &spanTags, host: &hostTags, container: &containerTags)
        }
    }

    static func gitLink(_ attributes: [OTLPKeyValue]) -> GitLink? {
        guard let url = attributes.string("vcs.repository.url.full") ?? attributes.string("git.repository_url") else { return nil }
        let sha = attributes.string("vcs.ref.head.revision") ?? attributes.string("git.commit.sha")
        return GitLink(repositoryURL: RepositoryURL.strippingCredentials(url), commitSHA: sha)
    }
}
