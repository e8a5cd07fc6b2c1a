@testable import FaultlineEnrichment
import Testing

@Suite("LRUCache")
struct LRUCacheTests {
    @Test func evictsTheLeastRecentlyUsed() {
        let cache = LRUCache<String, Int>(capacity: 4)
        for (index, key) in ["a", "b", "c", "d"].enumerated() { cache.insert(index, for: key) }
        #expect(cache.value(for: "a") == 0)  // "a" is now the most recent; "b" the oldest
        cache.insert(4, for: "e")
        #expect(cache.count == 4)
        #expect(cache.value(for: "b") == nil)
        #expect(cache.value(for: "a") == 0)
        #expect(cache.value(for: "e") == 4)
    }
}
