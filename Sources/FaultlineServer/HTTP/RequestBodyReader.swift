import CompressNIO
import Hummingbird
import NIOCore

/// Reads a request body whole, refusing bodies over the limit (413) and undoing `Content-Encoding`
/// gzip or deflate with the same limit on the decompressed size, so a small bomb cannot blow up memory.
struct RequestBodyReader: Sendable {
    var maxBytes: Int

    /// The body's bytes, decompressed.
    func read(_ request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw Self.tooLarge(maxBytes)
        }
        var request = request
        var buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(maxBytes)
        }
        let encoding = (request.headers[.contentEncoding] ?? "identity").lowercased().trimmingCharacters(in: .whitespaces)
        switch encoding {
        case "", "identity":
            return buffer
        case "gzip", "x-gzip":
            return try decompress(&buffer, with: .gzip(), name: "gzip")
        case "deflate":
            // HTTP's "deflate" is zlib-wrapped (RFC 9110), but some clients send raw deflate.
            var copy = buffer
            do {
                return try decompress(&copy, with: .zlib(), name: "deflate")
            } catch let error as APIError where error.status == .contentTooLarge {
                throw error
            } catch {
                return try decompress(&buffer, with: .deflate(), name: "deflate")
            }
        default:
            throw APIError(.unsupportedMediaType, "unsupported Content-Encoding '\(encoding)' (use gzip, deflate or none)")
        }
    }

    private func decompress(_ buffer: inout ByteBuffer, with algorithm: CompressionAlgorithm, name: String) throws -> ByteBuffer {
        do {
            return try buffer.decompress(with: algorithm, maxSize: maxBytes)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw Self.tooLarge(maxBytes, decompressed: true)
        } catch {
            throw APIError.badRequest("body is not valid \(name) data")
        }
    }

    static func tooLarge(_ limit: Int, decompressed: Bool = false) -> APIError {
        APIError(.contentTooLarge, "request body\(decompressed ? " (decompressed)" : "") exceeds the limit of \(limit) bytes")
    }
}
