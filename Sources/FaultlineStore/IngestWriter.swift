import GRDB

/// Group commit: batches from concurrent ``IssueStore/ingest(_:receivedAt:)`` calls that arrive while a
/// transaction runs are written together in the next one; each caller resumes after its batch is committed.
actor IngestWriter {
    private struct Pending {
        let batch: PreparedBatch
        let continuation: CheckedContinuation<IngestSummary, any Error>
    }

    private let pool: DatabasePool
    private let samplesPerIssue: Int
    private let parts = EventPartCache()
    private var pending: [Pending] = []
    private var isFlushing = false
    /// Callers likely to hand in a batch soon: those of the last transaction (resumed, and likely to come back
    /// with another) and those that arrived while it ran.
    private var expectedRound = 0

    /// How long a round may wait for the callers of the previous one to hand in their next batch.
    static let gatherWindow = Duration.milliseconds(2)

    init(pool: DatabasePool, samplesPerIssue: Int) {
        self.pool = pool
        self.samplesPerIssue = samplesPerIssue
    }

    func submit(_ batch: PreparedBatch) async throws -> IngestSummary {
        try await withCheckedThrowingContinuation { continuation in
            pending.append(Pending(batch: batch, continuation: continuation))
            if !isFlushing {
                isFlushing = true
                Task { await self.flush() }
            }
        }
    }

    /// Writes everything pending, one transaction per round, until nothing is left.
    private func flush() async {
        while !pending.isEmpty {
            await gather()
            let work = pending
            pending = []
            let batches = work.map(\.batch)
            let samplesPerIssue = self.samplesPerIssue
            let parts = self.parts
            let results: [Result<IngestSummary, any Error>]
            do {
                results = try await pool.write { db in
                    try parts.synchronize(db)
                    let transaction = IngestTransaction(db: db, samplesPerIssue: samplesPerIssue, parts: parts)
                    // The whole round at once (each issue loaded, updated and counted once for every caller)…
                    var merged: [IngestSummary]?
                    if batches.count > 1 {
                        do {
                            try db.inSavepoint {
                                merged = try transaction.apply(batches)
                                return .commit
                            }
                        } catch {
                            merged = nil
                            parts.removeAll()
                        }
                    }
                    if let merged { return merged.map { .success($0) } }
                    // …and when that fails, a savepoint per caller: one caller's failure rolls back only its own events.
                    return batches.map { batch in
                        let result = Result {
                            var summary = IngestSummary()
                            try db.inSavepoint {
                                summary = try transaction.apply([batch])[0]
                                return .commit
                            }
                            return summary
                        }
                        // Parts added in a rolled-back savepoint are gone: forget every remembered id.
                        if case .failure = result { parts.removeAll() }
                        return result
                    }
                }
            } catch {
                parts.removeAll()
                results = Array(repeating: .failure(error), count: work.count)
            }
            expectedRound = work.count > 1 ? work.count + pending.count : 0
            for (item, result) in zip(work, results) {
                item.continuation.resume(with: result.mapError { StoreError.wrap($0, operation: "ingest") })
            }
        }
        isFlushing = false
    }

    /// Under concurrent load, the callers of the last round resume while the next one starts and would hand in
    /// their batches a moment too late, so rounds would alternate large and small. Waiting for them (at most
    /// ``gatherWindow``, and only after a round of several batches) keeps rounds large: hot pages are written once per
    /// round, and each issue is loaded and updated once for all of them. A lone caller never waits.
    private func gather() async {
        guard expectedRound > 1, pending.count < expectedRound else { return }
        let clock = ContinuousClock()
        let deadline = clock.now + Self.gatherWindow
        while pending.count < expectedRound, clock.now < deadline {
            try? await Task.sleep(for: .microseconds(200))
        }
    }
}
