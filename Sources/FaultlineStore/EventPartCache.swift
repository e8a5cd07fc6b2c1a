import FaultlineCore
import Foundation
import GRDB

/// The ids of the parts an event row refers to (``StoreSchema`` v6): large or repeated parts of an event are
/// stored once in `event_part` and shared by every event with the same bytes.
struct EventPartIDs: Hashable {
    var stack: Int64
    var shared: Int64
    var spanTags: Int64
    var hostTags: Int64
    var containerTags: Int64
    var metrics: Int64
}

/// Finds or adds the `event_part` rows of an event. Remembers the parts it has seen so that a repeated stack
/// trace (the common case: a flood of one error) is neither encoded nor hashed again.
///
/// A remembered id stays valid until a garbage collection deletes parts no event refers to any more; it bumps
/// `event_part_generation`, and ``synchronize(_:)``, run at the start of each write transaction, forgets
/// everything when the generation moved (also when another process collected).
// @unchecked Sendable: used only inside the ingest writer's write transactions, which never overlap.
final class EventPartCache: @unchecked Sendable {
    /// A stack trace with the error.stack it came from. Hashing only the text is cheap and, since the frames are
    /// parsed from it, nearly always decisive; equality compares the text byte for byte and the parsed trace.
    private struct StackKey: Hashable {
        var errorStack: String
        var trace: StackTrace

        func hash(into hasher: inout Hasher) {
            hasher.combine(errorStack)
        }

        static func == (lhs: StackKey, rhs: StackKey) -> Bool {
            sameBytes(lhs.errorStack, rhs.errorStack) && sameBytes(lhs.trace.raw, rhs.trace.raw) && lhs.trace == rhs.trace
        }

        /// Byte equality with one memcmp (`utf8.elementsEqual` walked byte by byte: a fifth of the ingest profile).
        private static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
            var lhs = lhs
            var rhs = rhs
            return lhs.withUTF8 { left in
                rhs.withUTF8 { right in
                    guard left.count == right.count else { return false }
                    guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
                    return memcmp(leftBase, rightBase, left.count) == 0
                }
            }
        }
    }

    /// Stack traces remembered (a 30-frame one holds ~10 KB of strings); small parts are remembered by their bytes.
    static let stackLimit = 2048
    static let smallLimit = 16_384

    private var stacks: [StackKey: Int64] = [:]
    private var small: [Data: Int64] = [:]
    private var generation: Int64?

    /// Forgets every remembered id when parts were collected since the last transaction.
    func synchronize(_ db: Database) throws {
        let current = try Int64.fetchOne(db, sql: "SELECT value FROM event_part_generation WHERE id = 1") ?? 0
        if current != generation {
            removeAll()
            generation = current
        }
    }

    /// Forgets everything: after a rolled-back transaction or savepoint, remembered ids may name rows that are gone.
    func removeAll() {
        stacks.removeAll()
        small.removeAll()
        generation = nil
    }

    func ids(for grouped: GroupedEvent, in db: Database) throws -> EventPartIDs {
        let key = StackKey(errorStack: grouped.event.errorStack, trace: grouped.stackTrace)
        let stack: Int64
        if let known = stacks[key] {
            stack = known
        } else {
            stack = try Self.partID(EventJSON.encodeStack(grouped), in: db)
            if stacks.count >= Self.stackLimit { stacks.removeAll(keepingCapacity: true) }
            stacks[key] = stack
        }
        return EventPartIDs(
            stack: stack,
            shared: try smallID(EventJSON.encodeShared(grouped), in: db),
            spanTags: try smallID(EventJSON.encodeTags(grouped.event.spanTags), in: db),
            hostTags: try smallID(EventJSON.encodeTags(grouped.event.hostTags), in: db),
            containerTags: try smallID(EventJSON.encodeTags(grouped.event.containerTags), in: db),
            metrics: try smallID(EventJSON.encodeMetrics(grouped.event.metrics), in: db)
        )
    }

    private func smallID(_ data: Data, in db: Database) throws -> Int64 {
        if let known = small[data] { return known }
        let id = try Self.partID(data, in: db)
        if small.count >= Self.smallLimit { small.removeAll(keepingCapacity: true) }
        small[data] = id
        return id
    }

    /// The parts of an event without remembering anything (the v6 migration: every part compared by its bytes).
    static func uncachedIDs(for grouped: GroupedEvent, in db: Database) throws -> EventPartIDs {
        EventPartIDs(
            stack: try partID(EventJSON.encodeStack(grouped), in: db),
            shared: try partID(EventJSON.encodeShared(grouped), in: db),
            spanTags: try partID(EventJSON.encodeTags(grouped.event.spanTags), in: db),
            hostTags: try partID(EventJSON.encodeTags(grouped.event.hostTags), in: db),
            containerTags: try partID(EventJSON.encodeTags(grouped.event.containerTags), in: db),
            metrics: try partID(EventJSON.encodeMetrics(grouped.event.metrics), in: db)
        )
    }

    /// The row holding exactly these bytes, added when there is none.
    static func partID(_ data: Data, in db: Database) throws -> Int64 {
        let hash = contentHash(data)
        let find = try db.cachedStatement(sql: "SELECT id, data FROM event_part WHERE hash = ?")
        let rows = try Row.fetchCursor(find, arguments: [hash])
        while let row = try rows.next() {
            let stored: Data = row["data"]
            if stored == data { return row["id"] }
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO event_part (hash, data) VALUES (?, ?)")
        try insert.execute(arguments: [hash, data])
        return db.lastInsertedRowID
    }

    /// 64-bit FNV-1a: stable across processes (unlike `Hasher`); collisions are settled by comparing the bytes.
    static func contentHash(_ data: Data) -> Int64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        data.withUnsafeBytes { bytes in
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        return Int64(bitPattern: hash)
    }

    /// Deletes parts no event refers to and moves the generation on, so that every writer forgets its ids.
    static func collectGarbage(_ db: Database) throws -> Int {
        try db.execute(sql: """
            DELETE FROM event_part WHERE id NOT IN (
                SELECT stack_part FROM event UNION SELECT shared_part FROM event UNION SELECT span_tags_part FROM event
                UNION SELECT host_tags_part FROM event UNION SELECT container_tags_part FROM event
                UNION SELECT metrics_part FROM event)
            """)
        let deleted = db.changesCount
        if deleted > 0 {
            try db.execute(sql: "UPDATE event_part_generation SET value = value + 1 WHERE id = 1")
        }
        return deleted
    }
}
