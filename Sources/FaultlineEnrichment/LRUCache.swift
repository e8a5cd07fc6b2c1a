import Foundation

/// A bounded least-recently-used map, safe to call from any task without an actor hop.
final class LRUCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    // @unchecked: every stored property (and each entry's stamp) is read and written only under `lock`.
    private final class Entry {
        let value: Value
        var stamp: UInt64
        init(value: Value, stamp: UInt64) {
            self.value = value
            self.stamp = stamp
        }
    }

    private let lock = NSLock()
    private let capacity: Int
    private var values: [Key: Entry] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func value(for key: Key) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = values[key] else { return nil }
        // A hit only touches the entry, so it hashes the key once.
        clock += 1
        entry.stamp = clock
        return entry.value
    }

    func insert(_ value: Value, for key: Key) {
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        values[key] = Entry(value: value, stamp: clock)
        if values.count > capacity {
            // Evict the oldest quarter at once, so eviction cost is amortised.
            let excess = max(1, capacity / 4)
            let oldest = values.sorted { $0.value.stamp < $1.value.stamp }.prefix(excess).map(\.key)
            for key in oldest { values.removeValue(forKey: key) }
        }
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return values.count
    }
}
