import ArgumentParser
import FaultlineIntake
import FaultlineServer
import Foundation
import Logging

/// `faultline ingest`: read tracer payload files into the store, as if a tracer had sent them.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest payload files (Datadog v0.4/v0.5 msgpack or JSON, OTLP protobuf or JSON) into the store.",
        discussion: """
            Without --format the extension decides: .msgpack → v05 (v04 when the name contains v04), .json → v04 JSON \
            (otlp-json when the name contains otel or otlp), .pb/.protobuf → otlp-proto. A file that cannot be read or \
            decoded is reported on standard error and the others are still ingested; the exit status is 1 if any failed.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "v04, v04-json, v05, otlp-proto or otlp-json; by file extension when omitted.")
    var format: String?

    @Flag(name: .customLong("all-error-spans"), help: "Keep errors of every span with a stack, not only service entry spans.")
    var allErrorSpans = false

    @Argument(help: "Payload files.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one payload file") }
        if let format, PayloadFormat(rawValue: format) == nil {
            throw ValidationError("format must be one of \(PayloadFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let pipeline = try CommandSupport.pipeline(store, entrySpansOnly: !allErrorSpans)
        var logger = Logger(label: "faultline.ingest")
        logger.logLevel = .warning
        var failures = 0
        for file in files {
            do {
                let outcome = try await ingest(file, into: pipeline, logger: logger)
                print("\(file): \(outcome.spansScanned) spans, \(outcome.committed) error events stored")
            } catch {
                FileHandle.standardError.write(Data("\(file): \(Self.message(for: error))\n".utf8))
                failures += 1
            }
        }
        if failures > 0 {
            throw ExitCode(1)
        }
    }

    private func ingest(_ file: String, into pipeline: IngestPipeline, logger: Logger) async throws -> IngestPipeline.Outcome {
        guard let chosen = format.flatMap(PayloadFormat.init(rawValue:)) ?? PayloadFormat(fileName: file) else {
            throw CommandFailure("cannot tell the format from the name; pass --format")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure("cannot be read")
        }
        return try await pipeline.ingest(bytes: [UInt8](data), format: chosen, logger: logger)
    }

    /// One line for a file that failed: intake's reason, or what the store said.
    static func message(for error: any Error) -> String {
        switch error {
        case let error as IntakeError: error.reason
        case let error as CommandFailure: error.description
        default: "not stored: \(error)"
        }
    }
}
