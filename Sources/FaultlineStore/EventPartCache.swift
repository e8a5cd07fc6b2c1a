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
/// trace (the common case: a flood of one error) is neither encoded nor hashed again, and repeated small parts
/// (tag maps, metrics, the issue-level fields) are found by their values without being encoded.
///
/// A remembered id stays valid until a garbage collection deletes parts no event refers to any more; it bumps
/// `event_part_generation`, and ``synchronize(_:)``, run at the start of each write transaction, forgets
/// everything when the generation moved (also when another process collected).
// @unchecked Sendable: used only inside the ingest writer's write transactions, which never overlap.
final class EventPartCache: @unchecked Sendable {
    /// The fields ``EventJSON/encodeShared(_:)`` writes: equal keys give equal bytes.
    private struct SharedKey: Hashable {
        var service: String
        var env: String?
        var version: String?
        var resource: String?
        var operation: String?
        var errorType: String
        var language: String?
        var fingerprintOverride: String?
        var git: GitLink?
        var origin: ErrorEvent.Origin
        var normalizedMessage: String
        var fingerprint: Fingerprint

        init(_ grouped: GroupedEvent) {
            let event = grouped.event
            service = event.service
            env = event.env
            version = event.version
            resource = event.resource
            operation = event.operation
            errorType = event.errorType
            language = event.language
            fingerprintOverride = event.fingerprintOverride
            git = event.git
            origin = event.origin
            normalizedMessage = grouped.normalizedMessage
            fingerprint = grouped.fingerprint
        }
    }

    /// Stacks remembered by digest (48 bytes an entry, none of the text), and small parts by their values.
    static let stackLimit = 65_536
    static let smallLimit = 16_384

    private var stacks: [StackDigest: Int64] = [:]
    private var shared: [SharedKey: Int64] = [:]
    private var tags: [[String: String]: Int64] = [:]
    private var metrics: [[String: Double]: Int64] = [:]
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
        shared.removeAll()
        tags.removeAll()
        metrics.removeAll()
        generation = nil
    }

    func ids(for item: PreparedBatch.Item, in db: Database) throws -> EventPartIDs {
        let grouped = item.event
        let digest = item.stackDigest ?? StackDigest(grouped)
        let stack: Int64
        if let known = stacks[digest] {
            stack = known
        } else {
            stack = try Self.partID(EventJSON.encodeStack(grouped), in: db)
            Self.remember(stack, for: digest, in: &stacks, limit: Self.stackLimit)
        }
        let sharedKey = SharedKey(grouped)
        let sharedID: Int64
        if let known = shared[sharedKey] {
            sharedID = known
        } else {
            sharedID = try Self.partID(EventJSON.encodeShared(grouped), in: db)
            Self.remember(sharedID, for: sharedKey, in: &shared, limit: Self.smallLimit)
        }
        let metricsID: Int64
        if let known = metrics[grouped.event.metrics] {
            metricsID = known
        } else {
            metricsID = try Self.partID(EventJSON.encodeMetrics(grouped.event.metrics), in: db)
            Self.remember(metricsID, for: grouped.event.metrics, in: &metrics, limit: Self.smallLimit)
        }
        return EventPartIDs(
            stack: stack,
            shared: sharedID,
            spanTags: try tagsID(grouped.event.spanTags, in: db),
            hostTags: try tagsID(grouped.event.hostTags, in: db),
            containerTags: try tagsID(grouped.event.containerTags, in: db),
            metrics: metricsID
        )
    }

    private func tagsID(_ map: [String: String], in db: Database) throws -> Int64 {
        if let known = tags[map] { return known }
        let id = try Self.partID(EventJSON.encodeTags(map), in: db)
        Self.remember(id, for: map, in: &tags, limit: Self.smallLimit)
        return id
    }

    /// Bounded memory: a full table starts over (the parts are still found in the database by their bytes).
    private static func remember<Key: Hashable>(_ id: Int64, for key: Key, in table: inout [Key: Int64], limit: Int) {
        if table.count >= limit { table.removeAll(keepingCapacity: true) }
        table[key] = id
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
