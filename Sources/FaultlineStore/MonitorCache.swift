import FaultlineCore
import Foundation
import GRDB

/// The monitor list as ingest needs it, cached per process and checked against `monitor_revision` once
/// per transaction: a monitor created, changed or deleted by any process (the CLI, another server) is
/// seen by the next transaction, and the hot path never reads the monitor table per event.
enum MonitorCache {
    /// A monitor with its query parsed once.
    struct Entry: Sendable {
        var monitor: Monitor
        var query: IssueQuery
    }

    struct Snapshot: Sendable {
        var token: Int64
        var monitors: [Entry]
        var hasThresholds: Bool
    }

    /// Keyed by revision token: random per change, so two stores in one process never share an entry.
    private static let snapshots = LockedSnapshots()
    private static let maxSnapshots = 8

    static func current(_ db: Database) throws -> Snapshot {
        let statement = try db.cachedStatement(sql: "SELECT token FROM monitor_revision WHERE id = 1")
        let token = try Int64.fetchOne(statement) ?? 0
        if let cached = snapshots.withLock({ $0[token] }) { return cached }
        let monitors = try Row.fetchAll(db, sql: "SELECT \(MonitorRow.columns) FROM monitor ORDER BY id").map { row in
            let monitor = try MonitorRow.decode(row, operation: "ingest")
            // A query that no longer parses matches nothing rather than everything.
            let query = (try? IssueQuery(parsing: monitor.query)) ?? IssueQuery(terms: [IssueQueryTerm(.text(""), negated: true)])
            return Entry(monitor: monitor, query: query)
        }
        let snapshot = Snapshot(token: token, monitors: monitors, hasThresholds: monitors.contains { $0.monitor.kind == .threshold })
        snapshots.withLock { snapshots in
            if snapshots.count >= maxSnapshots { snapshots.removeAll() }
            snapshots[token] = snapshot
        }
        return snapshot
    }
}

/// The cache's storage. @unchecked Sendable: every access holds the lock.
private final class LockedSnapshots: @unchecked Sendable {
    private let lock = NSLock()
    private var value: [Int64: MonitorCache.Snapshot] = [:]

    func withLock<T>(_ body: (inout [Int64: MonitorCache.Snapshot]) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
