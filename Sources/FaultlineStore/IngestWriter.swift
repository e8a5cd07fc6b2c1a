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
                    return batches.map { batch in
                        // A savepoint per caller: one caller's failure rolls back only its own events.
                        let result = Result {
                            var summary = IngestSummary()
                            try db.inSavepoint {
                                summary = try transaction.apply(batch)
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
            for (item, result) in zip(work, results) {
                item.continuation.resume(with: result.mapError { StoreError.wrap($0, operation: "ingest") })
            }
        }
        isFlushing = false
    }
}
