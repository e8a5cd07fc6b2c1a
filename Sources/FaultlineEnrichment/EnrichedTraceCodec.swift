import Foundation

/// How an `EnrichedTrace` is stored: a JSON envelope `{"version": N, "trace": {...}}`, so a later
/// shape can be told apart from this one instead of failing to decode silently.
public enum EnrichedTraceCodec {
    /// The version `encode(_:)` writes. Version 2 spells keys in camelCase like the rest of the API
    /// (`commitSHA`, `suspectCommit`); versions 0 and 1 used snake_case and are read through `legacyKeys`.
    public static let currentVersion = 2

    /// The snake_case keys of versions 0 and 1, and their version-2 names.
    static let legacyKeys: [String: String] = [
        "repository_url": "repositoryURL", "commit_sha": "commitSHA", "suspect_commit": "suspectCommit",
        "author_name": "authorName", "author_email": "authorEmail", "authored_at": "authoredAt",
    ]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init(intValue: Int) {
            stringValue = String(intValue)
            self.intValue = intValue
        }
    }

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
        let legacy = JSONDecoder()
        legacy.keyDecodingStrategy = .custom { path in
            let last = path.last!
            guard last.intValue == nil, let renamed = legacyKeys[last.stringValue] else { return last }
            return Key(stringValue: renamed)
        }
        let version: Int?
        do {
            version = try decoder.decode(VersionProbe.self, from: data).version
        } catch {
            throw DecodingFailure(version: nil, reason: "stored enrichment is not a JSON object")
        }
        switch version {
        case nil:
            do {
                return try legacy.decode(EnrichedTrace.self, from: data)
            } catch {
                throw DecodingFailure(version: 0, reason: "stored enrichment (unversioned) does not decode: \(describe(error))")
            }
        case 1:
            do {
                return try legacy.decode(Envelope<EnrichedTrace>.self, from: data).trace
            } catch {
                throw DecodingFailure(version: 1, reason: "stored enrichment v1 does not decode: \(describe(error))")
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
