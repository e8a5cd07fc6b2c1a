import Foundation

/// Export formats: one JSON array, or one JSON object per line.
public enum ExportFormat: String, Sendable, CaseIterable {
    case json
    case ndjson

    init(_ text: String?) throws(APIError) {
        guard let text, !text.isEmpty else { self = .json; return }
        guard let format = ExportFormat(rawValue: text.lowercased()) else {
            throw APIError.badRequest("format must be json or ndjson")
        }
        self = format
    }

    var contentType: String {
        switch self {
        case .json: "application/json; charset=utf-8"
        case .ndjson: "application/x-ndjson"
        }
    }
}

/// Encodes exported issues one at a time, so the API and the CLI stream the same bytes.
public struct ExportEncoder: Sendable {
    public let format: ExportFormat
    private var count = 0

    public init(format: ExportFormat) {
        self.format = format
    }

    /// The bytes to write for the next issue (with the array's opening bracket or separator).
    public mutating func encode(_ issue: ExportedIssue) throws -> [UInt8] {
        let data = try JSONEncoder.api.encode(issue)
        defer { count += 1 }
        switch format {
        case .ndjson:
            return Array(data) + [UInt8(ascii: "\n")]
        case .json:
            return Array((count == 0 ? "[\n" : ",\n").utf8) + Array(data)
        }
    }

    /// The bytes that close the output.
    public func finish() -> [UInt8] {
        switch format {
        case .ndjson: []
        case .json: Array((count == 0 ? "[]\n" : "\n]\n").utf8)
        }
    }
}
