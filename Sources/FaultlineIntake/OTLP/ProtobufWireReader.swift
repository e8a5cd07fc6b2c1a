/// A bounds-checked cursor over protobuf wire format, for the cheap first pass over an OTLP export:
/// it walks fields without building messages. Nothing here recurses; callers nest by ranges.
struct ProtobufWireReader: ByteCursor {
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    let end: Int

    init(bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    private func error(_ what: String) -> IntakeError {
        IntakeError("otlp protobuf: \(what) at byte \(position)")
    }

    mutating func readVarint() throws(IntakeError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw error("body ends inside a varint") }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { throw error("varint longer than 10 bytes") }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// The next field's number and wire type; field 0 and unknown wire types are errors.
    mutating func readTag() throws(IntakeError) -> (field: UInt64, wireType: WireType) {
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(key & 7)), key >> 3 != 0 else {
            throw error("invalid field key")
        }
        return (key >> 3, wireType)
    }

    mutating func readLengthDelimited() throws(IntakeError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else { throw error("length-delimited field longer than its message") }
        let start = position
        position += Int(length)
        return start..<position
    }

    mutating func readFixed32() throws(IntakeError) -> UInt32 {
        guard end - position >= 4 else { throw error("body ends inside a fixed32") }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(bytes[position + offset]) << (8 * UInt32(offset)) }
        position += 4
        return value
    }

    mutating func readFixed64() throws(IntakeError) -> UInt64 {
        guard end - position >= 8 else { throw error("body ends inside a fixed64") }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(bytes[position + offset]) << (8 * UInt64(offset)) }
        position += 8
        return value
    }

    /// Skips a field's value. Groups are deprecated and unused by OTLP: rejected rather than walked.
    mutating func skip(_ wireType: WireType) throws(IntakeError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64:
            guard end - position >= 8 else { throw error("body ends inside a fixed64") }
            position += 8
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try readFixed32()
        case .startGroup, .endGroup: throw error("groups are not part of OTLP")
        }
    }
}
