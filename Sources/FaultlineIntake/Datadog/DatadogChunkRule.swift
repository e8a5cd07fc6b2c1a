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
    func evaluate(
        _ summaries: [DatadogSpanSummary],
        sameService: (Int, Int) -> Bool,
        decode: (Int) throws(IntakeError) -> DatadogSpan?,
        into batch: inout IntakeBatch
    ) throws(IntakeError) {
        batch.stats.spansScanned += summaries.count
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

        let parentIndex = ParentIndex(summaries, lookups: candidates.count)
        var context: DatadogChunkContext?
        for index in candidates {
            guard let span = try decode(index) else {
                batch.stats.skippedMalformed += 1
                continue
            }
            if options.entrySpansOnly && !isEntry(span, at: index, parents: parentIndex, sameService: sameService) {
                batch.stats.skippedNotEntry += 1
                continue
            }
            if context == nil {
                context = DatadogChunkContext(firstSpan: index == 0 ? span : try decode(0))
            }
            guard let event = DatadogEventBuilder.event(from: span, context: context ?? DatadogChunkContext(firstSpan: nil)) else {
                batch.stats.skippedNoStack += 1
                continue
            }
            batch.events.append(event)
            batch.stats.errorEvents += 1
        }
    }

    /// No parent in the payload, a parent of another service, or marked top-level by the tracer.
    private func isEntry(_ span: DatadogSpan, at index: Int, parents: ParentIndex, sameService: (Int, Int) -> Bool) -> Bool {
        if span.metrics["_dd.top_level"] == 1 { return true }
        if span.parentID == 0 { return true }
        if trustsTopLevelMark { return false }
        guard let parent = parents.index(of: span.parentID, excluding: index) else { return true }
        return !sameService(parent, index)
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
