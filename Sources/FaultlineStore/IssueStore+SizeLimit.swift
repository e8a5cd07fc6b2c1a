import Foundation
import GRDB

extension IssueStore {
    /// Bytes of the database's pages in use (page count less free pages, times the page size): what a
    /// size limit compares against. Deleting rows frees pages at once, without a VACUUM.
    public func usedBytes() async throws -> Int64 {
        try await perform("usedBytes") { pool in
            try await pool.read { db in try Self.usedBytes(db) }
        }
    }

    /// Deletes the oldest events, in chunks, until the database uses at most `maxBytes` — never an
    /// issue's latest event nor its first stored one, so every issue keeps where it began and where it is.
    /// Returns how many events were deleted (0 when already under the limit or nothing more may go).
    @discardableResult
    public func enforceSizeLimit(maxBytes: Int64) async throws -> Int {
        try requireWritable("enforceSizeLimit")
        return try await perform("enforceSizeLimit") { pool in
            var deletedTotal = 0
            while true {
                let deleted = try await pool.write { db -> Int in
                    let used = try Self.usedBytes(db)
                    guard used > maxBytes else { return 0 }
                    // About how many events to drop this round: the excess at the average event's share, at least one chunk's tenth.
                    let events = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? 0
                    guard events > 0 else { return 0 }
                    let perEvent = max(1, used / events)
                    let wanted = Int(min(Int64(Self.retentionChunk), max(Int64(Self.retentionChunk / 10), (used - maxBytes) / perEvent + 1)))
                    try db.execute(
                        sql: """
                            DELETE FROM event WHERE id IN (
                                SELECT id FROM event
                                WHERE id NOT IN (SELECT latest_event_id FROM issue WHERE latest_event_id IS NOT NULL)
                                AND id NOT IN (SELECT MIN(id) FROM event GROUP BY issue_id)
                                ORDER BY id LIMIT ?)
                            """,
                        arguments: [wanted])
                    let deleted = db.changesCount
                    // Stacks and tag maps only these events referred to go too, or nothing would shrink.
                    if deleted > 0 { _ = try EventPartCache.collectGarbage(db) }
                    return deleted
                }
                deletedTotal += deleted
                if deleted == 0 { break }
            }
            return deletedTotal
        }
    }

    static func usedBytes(_ db: Database) throws -> Int64 {
        let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
        let size = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
        return (pages - free) * size
    }
}
