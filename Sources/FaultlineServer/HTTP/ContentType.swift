import Foundation
import Hummingbird

/// The media type of a request, lower-cased and without parameters (`application/json; charset=utf-8` → `application/json`).
enum ContentType {
    static func of(_ request: Request) -> String? {
        guard let raw = request.headers[.contentType] else { return nil }
        let base = raw.split(separator: ";", maxSplits: 1).first.map(String.init) ?? raw
        let trimmed = base.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }

    static let msgpackTypes: Set<String> = ["application/msgpack", "application/x-msgpack", "application/vnd.msgpack"]
    static let jsonTypes: Set<String> = ["application/json", "text/json"]
    static let protobufTypes: Set<String> = ["application/x-protobuf", "application/protobuf", "application/vnd.google.protobuf"]
}
