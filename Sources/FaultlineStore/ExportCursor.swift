import FaultlineCore
import Foundation
import GRDB

/// Pulls exported issues a page at a time, so an export of any size holds one page in memory.
actor ExportCursor {
    private let pool: DatabasePool
    private let request: ExportRequest
    private let now: Date
    private var buffer: [IssueDetail] = []
    private var lastID: Int64 = 0
    private var exhausted = false
    static let pageSize = 100

    init(pool: DatabasePool, request: ExportRequest, now: Date) {
        self.pool = pool
        self.request = request
        self.now = now
    }

    func next() async throws -> IssueDetail? {
        if buffer.isEmpty, !exhausted {
            try await fill()
        }
        guard !buffer.isEmpty else { return nil }
        return buffer.removeFirst()
    }

    private func fill() async throws {
        let request = request
        let now = now
        let after = lastID
        let (scanned, page): (Int, [IssueDetail])
        do {
            (scanned, page) = try await pool.read { db in
                var filter = IssueFilter(query: request.query, from: request.from, to: request.to, now: now)
                filter.append("issue.id > ?", [after])
                let ids = try Int64.fetchAll(db, sql: "SELECT issue.id FROM issue \(filter.whereSQL) ORDER BY issue.id LIMIT ?", arguments: filter.arguments + [Self.pageSize])
                return (ids.count, try ids.compactMap { try IssueStore.fetchDetail(db, id: $0, now: now, operation: "export") })
            }
        } catch {
            throw StoreError.wrap(error, operation: "export")
        }
        if scanned < Self.pageSize { exhausted = true }
        lastID = page.last?.issue.id ?? lastID
        buffer = page
    }
}
