/// The byte comparisons intake's three readers (msgpack, JSON, protobuf wire) share: each reads a
/// body that stays alive for the reader's whole use, and matches keys without building Strings.
protocol ByteCursor {
    /// The whole body.
    var bytes: UnsafeRawBufferPointer { get }
}

extension ByteCursor {
    /// True when the bytes in `range` spell `literal` (an ASCII key).
    @inline(__always)
    func bytes(in range: Range<Int>, equal literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let pointer = literal.utf8Start
        var index = 0
        while index < range.count {
            if bytes[range.lowerBound + index] != pointer[index] { return false }
            index += 1
        }
        return true
    }

    /// True when the bytes in two ranges of the body are the same.
    @inline(__always)
    func bytes(in lhs: Range<Int>, equalBytesIn rhs: Range<Int>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var index = 0
        while index < lhs.count {
            if bytes[lhs.lowerBound + index] != bytes[rhs.lowerBound + index] { return false }
            index += 1
        }
        return true
    }
}
