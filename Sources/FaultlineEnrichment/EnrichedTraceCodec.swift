import Foundation

/// How an `EnrichedTrace` is stored: a JSON envelope `{"version": N, "trace": {...}}`, so a later
/// shape can be told apart from this one instead of failing to decode silently.
public enum EnrichedTraceCodec {
    /// The version `encode(_:)` writes.
    public static let currentVersion = 1

    /// A stored value this build cannot read; the caller re-enriches the issue.
    public struct DecodingFailure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The envelope's version, when there was one.
        public var version: Int?
        /// What was wrong, without the stored bytes.
        public var reason: String
        /// The reason.
        public var description: String { reason }
    }

    private struct Envelope<Trace: Codable>: Codable {
        var version: Int
        var trace: Trace
    }

    private struct VersionProbe: Decodable {
        var version: Int?
    }

    /// The stored form of `trace` (sorted keys, so equal traces store equal bytes).
    public static func encode(_ trace: EnrichedTrace) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Envelope(version: currentVersion, trace: trace))
    }

    /// Reads a stored value: the current envelope, or a bare trace as written before the envelope
    /// existed (version 0, the same shape).
    public static func decode(_ data: Data) throws(DecodingFailure) -> EnrichedTrace {
        let decoder = JSONDecoder()
        let version: Int?
        do {
            version = try decoder.decode(VersionProbe.self, from: data).version
        } catch {
            throw DecodingFailure(version: nil, reason: "stored enrichment is not a JSON object")
        }
        switch version {
        case nil:
            do {
                return try decoder.decode(EnrichedTrace.self, from: data)
            } catch {
                throw DecodingFailure(version: 0, reason: "stored enrichment (unversioned) does not decode: \(describe(error))")
            }
        case currentVersion:
            do {
                return try decoder.decode(Envelope<EnrichedTrace>.self, from: data).trace
            } catch {
                throw DecodingFailure(version: currentVersion, reason: "stored enrichment v\(currentVersion) does not decode: \(describe(error))")
            }
        case let other?:
            throw DecodingFailure(version: other, reason: "stored enrichment has unknown version \(other)")
        }
    }

    /// The failing coding path only, never the stored values.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "unreadable" }
        switch error {
        case .keyNotFound(let key, let context): return "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        @unknown default: return "unreadable"
        }
    }
}
