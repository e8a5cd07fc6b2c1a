import FaultlineCore

/// Turns an error span that passed the entry rule into an `ErrorEvent`.
enum DatadogEventBuilder {
    /// The stack trace in a span's tags, as tracers name it.
    static func stack(_ meta: [String: String]) -> String? {
        nonEmpty(meta["error.stack"]) ?? nonEmpty(meta["error.handling_stack"]) ?? nonEmpty(meta["error.details"])
    }

    /// The error message in a span's tags (`error.msg` for older tracers).
    static func message(_ meta: [String: String]) -> String? {
        nonEmpty(meta["error.message"]) ?? nonEmpty(meta["error.msg"])
    }

    /// Whether the span itself reports an error an event can be made of: a stack and a type or message.
    static func carriesError(_ span: DatadogSpan) -> Bool {
        stack(span.meta) != nil && (nonEmpty(span.meta["error.type"]) != nil || message(span.meta) != nil)
    }

    /// What makes two spans' errors the same exception: its type, as grouping reads it, and its message.
    static func errorIdentity(_ span: DatadogSpan) -> [String] {
        [ErrorTypeName.canonical(span.meta["error.type"] ?? ""), message(span.meta) ?? ""]
    }

    /// The event of `span`, an entry span or (with every error span kept) any error span. When `errorSpan` is
    /// given, the error (`error.*` tags) is read from that span below it, the identity (resource, operation,
    /// tags, duration) from `span`. `service` is the service the event belongs to. Nil when the span with the
    /// error has no stack trace, or neither an error type nor a message.
    static func event(from span: DatadogSpan, errorFrom errorSpan: DatadogSpan? = nil, service: String? = nil, context: DatadogChunkContext) -> ErrorEvent? {
        var meta = span.meta
        if let errorSpan {
            for key in meta.keys where key.hasPrefix("error.") { meta[key] = nil }
            for (key, value) in errorSpan.meta where key.hasPrefix("error.") { meta[key] = value }
        }
        guard let stack = stack(meta) else { return nil }
        let type = nonEmpty(meta["error.type"])
        let message = message(meta)
        guard type != nil || message != nil else { return nil }
        let service = nonEmpty(service) ?? span.service

        var spanTags: [String: String] = [:]
        var hostTags: [String: String] = [:]
        var containerTags: [String: String] = [:]
        for (key, value) in meta {
            TagClassifier.file(key, value, span: &spanTags, host: &hostTags, container: &containerTags)
        }
        if hostTags["_dd.hostname"] == nil, let hostname = context.hostname {
            hostTags["_dd.hostname"] = hostname
        }

        return ErrorEvent(
            traceID: traceID(of: span, context: context),
            spanID: Hex.padded(span.spanID),
            service: service.isEmpty ? "unnamed-service" : service,
            env: nonEmpty(meta["env"]),
            version: nonEmpty(meta["version"]),
            resource: nonEmpty(span.resource),
            operation: nonEmpty(span.name),
            startNanos: span.start,
            durationNanos: span.duration,
            errorType: type ?? "",
            errorMessage: message ?? "",
            errorStack: stack,
            language: nonEmpty(meta["language"]) ?? context.language,
            fingerprintOverride: nonEmpty(meta["error.fingerprint"]),
            spanTags: spanTags,
            hostTags: hostTags,
            containerTags: containerTags,
            metrics: span.metrics,
            git: gitLink(meta: meta, context: context),
            origin: .datadog,
            errorSpan: errorSpan.map { ErrorEvent.ErrorSpan(spanID: Hex.padded($0.spanID), operation: nonEmpty($0.name), resource: nonEmpty($0.resource), service: $0.service) }
        )
    }

    /// 128-bit ids carry their upper half in `_dd.p.tid`, usually on the chunk's first span only.
    static func traceID(of span: DatadogSpan, context: DatadogChunkContext) -> String {
        let low = Hex.padded(span.traceID)
        var high = span.meta["_dd.p.tid"]
        if high == nil, context.traceID == span.traceID {
            high = context.traceIDHigh
        }
        guard let high, Hex.isHex(high, maxLength: 16) else { return low }
        let lowered = high.lowercased()
        guard lowered.utf8.contains(where: { $0 != 0x30 }) else { return low }
        return String(repeating: "0", count: 16 - lowered.utf8.count) + lowered + low
    }

    static func gitLink(meta: [String: String], context: DatadogChunkContext) -> GitLink? {
        let url = nonEmpty(meta["_dd.git.repository_url"]) ?? nonEmpty(meta["git.repository_url"]) ?? nonEmpty(context.repositoryURL)
        guard let url else { return nil }
        let sha = nonEmpty(meta["_dd.git.commit.sha"]) ?? nonEmpty(meta["git.commit.sha"]) ?? nonEmpty(context.commitSHA)
        return GitLink.tagged(repositoryURL: url, commitSHA: sha)
    }

    @inline(__always)
    static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
