import FaultlineCore

/// Datadog's error-span rule over one trace chunk: only a service entry span with `error = 1` and a
/// stack becomes an event. Works on cheap summaries and decodes a span fully only when it may count.
struct DatadogChunkRule {
    var options: IntakeOptions
    /// The tracer computed top-level spans itself: only `_dd.top_level` (or no parent at all) makes an entry.
    var trustsTopLevelMark = false

    /// Adds a scanned span to its chunk, or counts it at once when it can neither become an event nor
    /// be anyone's parent (malformed, or without error and span id), so hostile bodies of tiny spans
    /// cannot make the chunk's summaries many times larger than the body.
    @inline(__always)
    func keep(_ summary: DatadogSpanSummary, in summaries: inout [DatadogSpanSummary], stats: inout IntakeStats) {
        if summary.isMalformed {
            stats.spansScanned += 1
            stats.skippedMalformed += 1
        } else if !summary.isError && summary.spanID == 0 {
            stats.spansScanned += 1
            stats.skippedNoError += 1
        } else {
            summaries.append(summary)
        }
    }

    /// Evaluates one chunk. `sameService(a, b)` compares two spans' services by summary index;
    /// `decode(i)` builds span `i` in full (nil when its fields are unusable).
    ///
    /// Entry spans only (the default): an entry span with `error = 1` and its own stack is the event. One
    /// that only marks `error = 1` — current ddtrace's Flask and Django request spans, whose view and handler
    /// spans below carry `error.*` — takes the error of the nearest error span of its service below it (or of
    /// an integration span there), keeping its own identity; with no such span it stays untracked. Every
    /// error span: one event per error, the deepest of nested spans that recorded the same exception.
    func evaluate(
        _ summaries: [DatadogSpanSummary],
        sameService: (Int, Int) -> Bool,
        decode: (Int) throws(IntakeError) -> DatadogSpan?,
        into batch: inout IntakeBatch
    ) throws(IntakeError) {
        batch.stats.spansScanned += summaries.count
        // Every summary's parent is looked up once to count entry spans, so the parent table pays off.
        var chunk = ChunkSpans(summaries: summaries, lookups: summaries.count)
        try countEntrySpans(in: &chunk, sameService: sameService, decode: decode, into: &batch)
        var candidates: [Int] = []
        for index in summaries.indices {
            let summary = summaries[index]
            if summary.isMalformed {
                batch.stats.skippedMalformed += 1
            } else if !summary.isError {
                batch.stats.skippedNoError += 1
            } else {
                candidates.append(index)
            }
        }
        guard !candidates.isEmpty else { return }

        var context: DatadogChunkContext?
        let repeated = options.entrySpansOnly ? [] : try repeatedErrors(candidates, in: &chunk, sameService: sameService, decode: decode)
        for index in candidates {
            guard let span = try chunk.span(index, decode) else {
                batch.stats.skippedMalformed += 1
                continue
            }
            var errorSpan: DatadogSpan?
            if options.entrySpansOnly {
                guard isEntry(span, at: index, chunk: chunk, sameService: sameService) else {
                    batch.stats.skippedNotEntry += 1
                    continue
                }
                if !DatadogEventBuilder.carriesError(span) {
                    errorSpan = try nearestErrorBelow(index, in: &chunk, sameService: sameService, decode: decode)
                }
            } else if repeated.contains(index) {
                // A span below reports the same exception: that deeper span is this error's one event.
                batch.stats.skippedNotEntry += 1
                continue
            }
            if context == nil {
                context = DatadogChunkContext(firstSpan: try chunk.span(0, decode))
            }
            let service = try owningService(of: span, at: index, in: &chunk, decode: decode)
            guard let event = DatadogEventBuilder.event(
                from: span,
                errorFrom: errorSpan,
                service: service,
                context: context ?? DatadogChunkContext(firstSpan: nil)
            ) else {
                batch.stats.skippedNoStack += 1
                continue
            }
            batch.events.append(event)
            batch.stats.errorEvents += 1
        }
    }

    /// Records the chunk's service entry spans, error or not, as sightings, by the same rule as events
    /// (`isEntry`). A span whose parent is in the chunk and of its own service is passed over on the cheap
    /// summaries, so only the entries (usually one or two a chunk) are decoded, once, in the chunk's cache.
    private func countEntrySpans(
        in chunk: inout ChunkSpans, sameService: (Int, Int) -> Bool, decode: (Int) throws(IntakeError) -> DatadogSpan?, into batch: inout IntakeBatch
    ) throws(IntakeError) {
        for index in chunk.summaries.indices where !chunk.summaries[index].isMalformed {
            let parentID = chunk.summaries[index].parentID
            if parentID != 0, let parent = chunk.parents.index(of: parentID, excluding: index), sameService(parent, index) { continue }
            guard let span = try chunk.span(index, decode), !span.service.isEmpty,
                  isEntry(span, at: index, chunk: chunk, sameService: sameService)
            else { continue }
            batch.entrySpans.append(EntrySpanSighting(
                service: span.service, env: DatadogEventBuilder.nonEmpty(span.meta["env"]),
                version: DatadogEventBuilder.nonEmpty(span.meta["version"]), startNanos: span.start, isError: span.error != 0))
        }
    }

    /// No parent in the payload, a parent of another service, or marked top-level by the tracer — unless
    /// the span is an integration's (a database, cache or HTTP client call) inside a request: ddtrace names
    /// those after the integration (`sqlite`, `redis`) and even marks them `_dd.top_level`, but they are
    /// part of their parent's request, not entry spans of a service of their own.
    private func isEntry(_ span: DatadogSpan, at index: Int, chunk: ChunkSpans, sameService: (Int, Int) -> Bool) -> Bool {
        if span.parentID != 0 && Self.isIntegration(span) { return false }
        if span.metrics["_dd.top_level"] == 1 { return true }
        if span.parentID == 0 { return true }
        if trustsTopLevelMark { return false }
        guard let parent = chunk.parents.index(of: span.parentID, excluding: index) else { return true }
        return !sameService(parent, index)
    }

    /// A span an integration made for a call out of the service: a client or producer span, one that names
    /// the peer it calls, or one whose service an integration named (`_dd.base_service` keeps the
    /// application's; ddtrace's `_dd.svc_src` says who set the name, `m` for the user, who may really mean
    /// another service; older tracers leave it out but tag the `component`).
    static func isIntegration(_ span: DatadogSpan) -> Bool {
        switch span.meta["span.kind"] {
        case "client", "producer": return true
        default: break
        }
        if let peer = span.meta["peer.service"], !peer.isEmpty { return true }
        guard let base = span.meta["_dd.base_service"], !base.isEmpty, base != span.service else { return false }
        if let source = span.meta["_dd.svc_src"], !source.isEmpty { return source != "m" }
        if let component = span.meta["component"], !component.isEmpty { return true }
        return false
    }

    /// The service an event of this span belongs to: an integration span's is its application's
    /// (`_dd.base_service`, else its parent's), so no `sqlite` or `requests` service appears.
    private func owningService(of span: DatadogSpan, at index: Int, in chunk: inout ChunkSpans, decode: (Int) throws(IntakeError) -> DatadogSpan?) throws(IntakeError) -> String {
        guard Self.isIntegration(span) else { return span.service }
        if let base = span.meta["_dd.base_service"], !base.isEmpty { return base }
        var current = index
        var currentSpan = span
        for _ in 0..<Self.maxDepth {
            guard let parent = chunk.parents.index(of: currentSpan.parentID, excluding: current),
                  let parentSpan = try chunk.span(parent, decode) else { break }
            if !Self.isIntegration(parentSpan) { return parentSpan.service }
            current = parent
            currentSpan = parentSpan
        }
        return span.service
    }

    /// How far below an entry span, and above an error span, the rule looks.
    static let maxDepth = 256

    /// The error span nearest below entry span `entry` (breadth first, in payload order at equal depth) that
    /// carries an error with a stack, among spans of the entry's service and its integration spans; another
    /// service's spans below are entries of their own and are not searched.
    private func nearestErrorBelow(_ entry: Int, in chunk: inout ChunkSpans, sameService: (Int, Int) -> Bool, decode: (Int) throws(IntakeError) -> DatadogSpan?) throws(IntakeError) -> DatadogSpan? {
        var level = chunk.children(of: entry)
        var depth = 0
        while !level.isEmpty && depth < Self.maxDepth {
            var next: [Int] = []
            for child in level where chunk.markVisited(child) {
                let summary = chunk.summaries[child]
                guard !summary.isMalformed else { continue }
                var span: DatadogSpan?
                if !sameService(child, entry) {
                    // Another service below: only an integration span still belongs to this request.
                    guard let decoded = try chunk.span(child, decode), Self.isIntegration(decoded) else { continue }
                    span = decoded
                }
                if summary.isError {
                    if span == nil { span = try chunk.span(child, decode) }
                    if let span, DatadogEventBuilder.carriesError(span) { return span }
                }
                next += chunk.children(of: child)
            }
            level = next
            depth += 1
        }
        return nil
    }

    /// Error spans that repeat an exception another span of the same request reports (the same type and
    /// message, as when a framework records one exception on the view, the dispatcher and the handler
    /// spans): with every error span kept, only the deepest of them becomes the event. A request is the
    /// subtree below its topmost span of the same service (integration spans included).
    private func repeatedErrors(
        _ candidates: [Int], in chunk: inout ChunkSpans, sameService: (Int, Int) -> Bool,
        decode: (Int) throws(IntakeError) -> DatadogSpan?
    ) throws(IntakeError) -> Set<Int> {
        struct Key: Hashable {
            var request: Int
            var identity: [String]
        }
        var deepest: [Key: (index: Int, depth: Int)] = [:]
        var repeated: Set<Int> = []
        for index in candidates {
            guard let span = try chunk.span(index, decode), DatadogEventBuilder.carriesError(span) else { continue }
            var request = index
            var requestSpan = span
            var depth = 0
            while depth < Self.maxDepth, let parent = chunk.parents.index(of: requestSpan.parentID, excluding: request) {
                if !sameService(parent, request) {
                    guard Self.isIntegration(requestSpan) else { break }
                }
                guard let parentSpan = try chunk.span(parent, decode) else { break }
                request = parent
                requestSpan = parentSpan
                depth += 1
            }
            let key = Key(request: request, identity: DatadogEventBuilder.errorIdentity(span))
            if let known = deepest[key] {
                if depth > known.depth {
                    repeated.insert(known.index)
                    deepest[key] = (index, depth)
                } else {
                    repeated.insert(index)
                }
            } else {
                deepest[key] = (index, depth)
            }
        }
        return repeated
    }
}

/// One chunk's spans for the rule: summaries, decoded spans (each decoded once), parents and children.
private struct ChunkSpans {
    let summaries: [DatadogSpanSummary]
    let parents: ParentIndex
    private var decoded: [Int: DatadogSpan?] = [:]
    private var childIndex: [UInt64: [Int]]?
    private var visited: Set<Int> = []

    init(summaries: [DatadogSpanSummary], lookups: Int) {
        self.summaries = summaries
        self.parents = ParentIndex(summaries, lookups: lookups)
    }

    /// Span `index` in full, decoded by `decode` the first time only.
    mutating func span(_ index: Int, _ decode: (Int) throws(IntakeError) -> DatadogSpan?) throws(IntakeError) -> DatadogSpan? {
        if let known = decoded[index] { return known }
        let span = try decode(index)
        decoded[index] = span
        return span
    }

    /// Children in payload order; the table is built on first use, once per chunk.
    mutating func children(of index: Int) -> [Int] {
        let id = summaries[index].spanID
        guard id != 0 else { return [] }
        if childIndex == nil {
            var table: [UInt64: [Int]] = [:]
            for (child, summary) in summaries.enumerated() where !summary.isMalformed && summary.parentID != 0 {
                table[summary.parentID, default: []].append(child)
            }
            childIndex = table
        }
        return (childIndex?[id] ?? []).filter { $0 != index }
    }

    /// True the first time: searches below different entry spans never walk one span twice, which bounds
    /// a hostile chunk's work by its size.
    mutating func markVisited(_ index: Int) -> Bool {
        visited.insert(index).inserted
    }
}

/// Finds a span by id within a chunk: a linear scan for the usual one or two lookups, a table when a
/// hostile chunk asks many.
private struct ParentIndex {
    let summaries: [DatadogSpanSummary]
    let table: [UInt64: Int]?

    init(_ summaries: [DatadogSpanSummary], lookups: Int) {
        self.summaries = summaries
        if lookups > 8 && summaries.count > 64 {
            var table = [UInt64: Int](minimumCapacity: summaries.count)
            for (index, summary) in summaries.enumerated() where !summary.isMalformed {
                table[summary.spanID] = table[summary.spanID] ?? index
            }
            self.table = table
        } else {
            self.table = nil
        }
    }

    func index(of spanID: UInt64, excluding own: Int) -> Int? {
        if let table {
            guard let found = table[spanID], found != own else { return nil }
            return found
        }
        for (index, summary) in summaries.enumerated() where index != own && !summary.isMalformed && summary.spanID == spanID {
            return index
        }
        return nil
    }
}
