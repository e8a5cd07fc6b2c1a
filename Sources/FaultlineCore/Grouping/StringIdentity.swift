/// Which storage a long string's bytes live in: two strings with equal identities hold the same bytes.
/// Only for strings too long to be stored inline, and only while both are alive.
package struct StringIdentity: Hashable {
    let address: UInt
    let count: Int

    /// Nil for a short string (stored inline, so its address means nothing) or one without contiguous storage.
    package init?(_ text: String) {
        guard text.utf8.count > 64 else { return nil }
        guard let address = text.utf8.withContiguousStorageIfAvailable({ UInt(bitPattern: $0.baseAddress) }) else { return nil }
        self.address = address
        self.count = text.utf8.count
    }
}
