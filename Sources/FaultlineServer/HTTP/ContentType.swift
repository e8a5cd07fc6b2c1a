import Foundation
import Hummingbird

/// The media type of an API request (`application/json; charset=utf-8` → `application/json`), for
/// the API's JSON bodies. Intake routes hand the raw header to `IntakeRoute.format(contentType:)`.
enum ContentType {
    static func of(_ request: Request) -> String? {
        guard let raw = request.headers[.contentType] else { return nil }
        let base = raw.split(separator: ";", maxSplits: 1).first.map(String.init) ?? raw
        let trimmed = base.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }

    static let jsonTypes: Set<String> = ["application/json", "text/json"]
}
