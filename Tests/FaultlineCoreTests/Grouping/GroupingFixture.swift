import FaultlineCore
import Foundation

/// A trace captured by `Tests/Fixtures/grouping/capture.sh`: the error type, message and stack a tracer sent.
struct GroupingFixture {
    var type: String
    var message: String
    var stack: String

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/grouping/traces")

    /// The `language` span tag each fixture directory stands for.
    static let languageTags = ["python": "python", "node": "nodejs", "java": "jvm", "go": "go", "ruby": "ruby", "php": "php"]

    static func load(_ directory: String, _ name: String) throws -> GroupingFixture {
        let url = root.appendingPathComponent(directory).appendingPathComponent("\(name).txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let separator = text.range(of: "\n---\n") else { throw FixtureError(path: url.path) }
        var type = "", message = ""
        for line in text[..<separator.lowerBound].split(separator: "\n") {
            if line.hasPrefix("type: ") { type = String(line.dropFirst(6)) }
            if line.hasPrefix("message: ") { message = String(line.dropFirst(9)) }
        }
        return GroupingFixture(type: type, message: message, stack: String(text[separator.upperBound...]))
    }

    func event(language: String?, override: String? = nil) -> ErrorEvent {
        ErrorEvent(
            traceID: "1", spanID: "2", service: "shop", errorType: type, errorMessage: message, errorStack: stack,
            language: language, fingerprintOverride: override
        )
    }

    struct FixtureError: Error, CustomStringConvertible {
        var path: String
        var description: String { "fixture without a --- separator: \(path)" }
    }
}
