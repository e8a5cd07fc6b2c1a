import ArgumentParser
import FaultlineCore
import Foundation

/// `faultline parse`: parse one stack trace and print its frames and fingerprint as JSON.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a stack trace and print its frames, normalised message and fingerprint as JSON."
    )

    @Option(help: "Language of the trace (python, jvm, go, nodejs, ruby, dotnet, php, cpp); detected when omitted.")
    var language: String?

    @Option(help: "The error type (error.type); taken from the trace when omitted.")
    var type: String = ""

    @Option(help: "The error message (error.message); taken from the trace when omitted.")
    var message: String = ""

    @Option(help: "An error.fingerprint value that overrides the computed fingerprint.")
    var fingerprint: String?

    @Argument(help: "File holding the stack trace, or - for standard input.")
    var file: String = "-"

    func validate() throws {
        if let language, Language(tag: language) == nil {
            let known = Language.allCases.filter { $0 != .unknown }.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown language '\(language)'; expected one of: \(known)")
        }
    }

    func run() throws {
        let text = try readTrace()
        let event = ErrorEvent(
            traceID: "",
            spanID: "",
            service: "",
            errorType: type,
            errorMessage: message,
            errorStack: text,
            language: language,
            fingerprintOverride: fingerprint,
            origin: .file
        )
        let grouped = Grouper().group(event)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(ParseReport(grouped))
        print(String(decoding: data, as: UTF8.self))
    }

    private func readTrace() throws -> String {
        if file == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ParseCommandError(reason: "no such file: \(file)")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: file) else {
            throw ParseCommandError(reason: "cannot read file: \(file)")
        }
        // Lossy on purpose: a trace with broken UTF-8 is still parsed, bad bytes become U+FFFD.
        return String(decoding: data, as: UTF8.self)
    }
}

/// What `faultline parse` prints.
struct ParseReport: Encodable {
    var language: Language
    var type: String
    var message: String
    var normalizedMessage: String
    var exceptions: [ExceptionTrace]
    var fingerprint: Fingerprint
    var warnings: [String]

    init(_ grouped: GroupedEvent) {
        language = grouped.stackTrace.language
        type = grouped.event.errorType.isEmpty ? (grouped.stackTrace.exceptions.first?.type ?? "") : grouped.event.errorType
        message = grouped.event.errorMessage.isEmpty ? (grouped.stackTrace.exceptions.first?.message ?? "") : grouped.event.errorMessage
        normalizedMessage = grouped.normalizedMessage
        exceptions = grouped.stackTrace.exceptions
        fingerprint = grouped.fingerprint
        warnings = grouped.stackTrace.warnings
    }
}

/// A `faultline parse` failure, described without the trace's contents.
struct ParseCommandError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
