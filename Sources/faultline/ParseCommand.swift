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

    @Option(help: "The error type (error.type).")
    var type: String = ""

    @Option(help: "The error message (error.message).")
    var message: String = ""

    @Argument(help: "File holding the stack trace, or - for standard input.")
    var file: String = "-"

    func run() throws {
        throw ValidationError("not implemented yet")
    }
}
