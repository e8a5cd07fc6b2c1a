/// OTLP JSON writes trace and span ids as hex, where proto3 JSON expects base64: rewrites the id
/// values of `traceId`, `spanId` and `parentSpanId` keys so the standard JSON decoder reads them.
enum OTLPJSONIDs {
    private static let idKeys: [[UInt8]] = ["traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"].map { Array($0.utf8) }
    private static let base64Alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Returns the body with hex id strings replaced by base64; other text is copied unchanged.
    /// A lexer, not a parser: it only tracks strings, so malformed JSON is left for the decoder to reject.
    static func rewrite(_ body: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(body.count)
        var index = 0
        var lastStringWasIDKey = false
        var expectIDValue = false
        while index < body.count {
            let byte = body[index]
            if byte == UInt8(ascii: "\"") {
                let start = index
                index += 1
                while index < body.count, body[index] != UInt8(ascii: "\"") {
                    index += body[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index = min(index + 1, body.count)
                let contentRange = (start + 1)..<max(start + 1, index - 1)
                if expectIDValue, let decoded = hexBytes(body[contentRange]) {
                    out.append(UInt8(ascii: "\""))
                    out.append(contentsOf: base64(decoded))
                    out.append(UInt8(ascii: "\""))
                    expectIDValue = false
                    lastStringWasIDKey = false
                    continue
                }
                expectIDValue = false
                lastStringWasIDKey = idKeys.contains { $0.elementsEqual(body[contentRange]) }
                out.append(contentsOf: body[start..<index])
                continue
            }
            switch byte {
            case UInt8(ascii: ":"):
                expectIDValue = lastStringWasIDKey
                lastStringWasIDKey = false
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                break
            default:
                expectIDValue = false
                lastStringWasIDKey = false
            }
            out.append(byte)
            index += 1
        }
        return out
    }

    /// Decodes an even-length hex string of 8 or 16 bytes; nil otherwise (left as base64 or for the decoder).
    private static func hexBytes(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count == 16 || text.count == 32 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.count / 2)
        var high: UInt8?
        for character in text {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let upper = high {
                bytes.append(upper << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    private static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0..<4 {
                if position <= chunk.count {
                    out.append(base64Alphabet[Int((value >> (18 - 6 * position)) & 0x3f)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return out
    }
}
