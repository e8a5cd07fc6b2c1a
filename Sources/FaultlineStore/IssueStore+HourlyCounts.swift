import FaultlineCore
import Foundation
import GRDB

extension IssueStore {
    /// The hourly counts of several issues over `from ... to` (hour precision), from the hourly rollup,
    /// in one query: what a list page draws its sparklines from. Issues without counts in the range
    /// map to an empty list.
    public func hourlyCounts(issueIDs: [Int64], from: Date, to: Date) async throws -> [Int64: [HourlyCount]] {
        guard !issueIDs.isEmpty else { return [:] }
        let first = StoreTime.hour(millis: StoreTime.millis(from))
        let last = StoreTime.hour(millis: StoreTime.millis(to))
        return try await perform("hourlyCounts") { pool in
            try await pool.read { db in
                var counts = Dictionary(uniqueKeysWithValues: issueIDs.map { ($0, [HourlyCount]()) })
                let placeholders = Array(repeating: "?", count: issueIDs.count).joined(separator: ",")
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT issue_id, value, count FROM issue_stat
                        WHERE issue_id IN (\(placeholders)) AND kind = \(StatKind.hour.rawValue) AND value BETWEEN ? AND ?
                        ORDER BY issue_id, value
                        """,
                    arguments: StatementArguments(issueIDs.map { $0 as any DatabaseValueConvertible } + [first, last])
                )
                while let row = try rows.next() {
                    counts[row["issue_id"], default: []].append(HourlyCount(hour: StoreTime.date(hour: row["value"]), count: row["count"]))
                }
                return counts
            }
        }
    }
}
