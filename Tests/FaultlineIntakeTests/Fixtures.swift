import Foundation

/// Loads captured payloads from Tests/Fixtures/intake.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/intake")

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(path)))
    }

    /// One span the generator created and the outcome intake must report for it.
    struct ManifestEntry: Decodable {
        var trace_id: String
        var span_id: String
        var service: String?
        var name: String
        var resource: String?
        var expect: String
        var error_type: String?
        var error_message: String?
        var fingerprint: String?
    }

    static func manifest(_ directory: String) throws -> [ManifestEntry] {
        try JSONDecoder().decode([ManifestEntry].self, from: Data(contentsOf: root.appendingPathComponent("\(directory)/manifest.json")))
    }

    /// A request header the capture server recorded next to a payload.
    static func header(_ name: String, _ path: String) throws -> String? {
        struct Request: Decodable { var headers: [String: String] }
        let request = try JSONDecoder().decode(Request.self, from: Data(contentsOf: root.appendingPathComponent(path)))
        return request.headers.first { $0.key.lowercased() == name }?.value
    }

    static func contentType(_ path: String) throws -> String? {
        try header("content-type", path)
    }
}
