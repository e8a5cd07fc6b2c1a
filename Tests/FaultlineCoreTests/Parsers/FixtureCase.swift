import Foundation
@testable import FaultlineCore
import Testing

/// One frame a fixture must parse to: which exception of the chain it belongs to, and its fields.
struct ExpectedFrame: Sendable, Equatable, CustomStringConvertible {
    var exception: Int
    var function: String?
    var module: String?
    var file: String?
    var line: Int?
    var inApp: Bool

    var description: String {
        "#\(exception) \(module ?? "-") \(function ?? "-") \(file ?? "-"):\(line.map(String.init) ?? "-") inApp=\(inApp)"
    }
}

/// One exception of the chain a fixture must parse to.
struct ExpectedException: Sendable, Equatable, CustomStringConvertible {
    var relation: ExceptionTrace.Relation
    var type: String?
    var message: String?

    var description: String { "\(relation) \(type ?? "-"): \(message ?? "-")" }
}

/// A stack trace printed by a real runtime (or transcribed from documentation, see SOURCES.md) and what
/// it must parse to.
struct FixtureCase: Sendable, CustomTestStringConvertible {
    var path: String
    var language: Language
    var exceptions: [ExpectedException]
    var frames: [ExpectedFrame]

    var testDescription: String { path }

    init(_ path: String, _ language: Language, exceptions: [ExpectedException], frames: [ExpectedFrame]) {
        self.path = path
        self.language = language
        self.exceptions = exceptions
        self.frames = frames
    }
}

/// Shorthand for table rows.
func frame(
    _ exception: Int, _ function: String?, _ module: String?, _ file: String?, _ line: Int?, inApp: Bool
) -> ExpectedFrame {
    ExpectedFrame(exception: exception, function: function, module: module, file: file, line: line, inApp: inApp)
}

func exception(_ relation: ExceptionTrace.Relation, _ type: String?, _ message: String?) -> ExpectedException {
    ExpectedException(relation: relation, type: type, message: message)
}

enum Fixtures {
    /// Tests/Fixtures/stacks, found from this file's path.
    static let stacksDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Parsers
        .deletingLastPathComponent()  // FaultlineCoreTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/stacks")

    /// Where the capture scripts ran the programs, so the printed paths start here.
    static let root = "/tmp/faultline-fixtures"

    static func text(_ path: String) throws -> String {
        try String(contentsOf: stacksDirectory.appendingPathComponent(path), encoding: .utf8)
    }

    /// Parses the fixture with its language tag and again with detection, and checks both against the case.
    static func check(_ fixture: FixtureCase) throws {
        let text = try text(fixture.path)
        for tag in [Optional(fixture.language), nil] {
            let trace = StackTraceParser.parse(text, language: tag)
            #expect(trace.language == fixture.language, "language (tag \(String(describing: tag)))")
            #expect(trace.raw == text)
            #expect(trace.warnings.isEmpty, "\(trace.warnings)")
            let exceptions = trace.exceptions.map {
                ExpectedException(relation: $0.relation, type: $0.type, message: $0.message)
            }
            #expect(exceptions == fixture.exceptions)
            var frames: [ExpectedFrame] = []
            for (index, exception) in trace.exceptions.enumerated() {
                for frame in exception.frames {
                    frames.append(ExpectedFrame(
                        exception: index, function: frame.function, module: frame.module, file: frame.file,
                        line: frame.line, inApp: frame.inApp))
                }
            }
            #expect(frames.count == fixture.frames.count)
            for (actual, expected) in zip(frames, fixture.frames) {
                #expect(actual == expected)
            }
        }
    }
}
