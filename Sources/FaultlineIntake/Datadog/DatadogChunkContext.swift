/// Tags a tracer writes only on the first span of a chunk, carried to the chunk's other spans.
struct DatadogChunkContext {
    var traceID: UInt64 = 0
    var traceIDHigh: String?
    var repositoryURL: String?
    var commitSHA: String?
    var language: String?
    var hostname: String?

    init(firstSpan: DatadogSpan?) {
        guard let span = firstSpan else { return }
        traceID = span.traceID
        traceIDHigh = span.meta["_dd.p.tid"]
        repositoryURL = span.meta["_dd.git.repository_url"] ?? span.meta["git.repository_url"]
        commitSHA = span.meta["_dd.git.commit.sha"] ?? span.meta["git.commit.sha"]
        language = span.meta["language"]
        hostname = span.meta["_dd.hostname"]
    }
}
