import FaultlineCore
import Foundation

/// A trace captured by `Tests/Fixtures/grouping/capture.sh`: the error type, message and stack a tracer sent.
public struct GroupingFixture {
    public var type: String
    public var message: String
    public var stack: String

    /// `Tests/Fixtures/grouping/traces`.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/grouping/traces")

    /// The `language` span tag each fixture directory stands for.
    public static let languageTags = ["python": "python", "node": "nodejs", "java": "jvm", "go": "go", "ruby": "ruby", "php": "php"]

    /// Reads `Tests/Fixtures/grouping/traces/<directory>/<name>.txt`.
    public static func load(_ directory: String, _ name: String) throws -> GroupingFixture {
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

    /// The error event a tracer would have sent with this trace.
    public func event(language: String?, override: String? = nil) -> ErrorEvent {
        ErrorEvent(
            traceID: "1", spanID: "2", service: "shop", errorType: type, errorMessage: message, errorStack: stack,
            language: language, fingerprintOverride: override
        )
    }

    /// A fixture file without its header separator.
    public struct FixtureError: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "fixture without a --- separator: \(path)" }
    }
}
