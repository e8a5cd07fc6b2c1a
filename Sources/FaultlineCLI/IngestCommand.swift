import ArgumentParser
import FaultlineServer
import Foundation
import Logging

/// `faultline ingest`: read tracer payload files into the store, as if a tracer had sent them.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest payload files (Datadog v0.4/v0.5 msgpack or JSON, OTLP protobuf or JSON) into the store.",
        discussion: "Without --format the extension decides: .msgpack → v05 (v04 when the name contains v04), .json → v04 JSON (otlp-json when the name contains otel or otlp), .pb/.protobuf → otlp-proto."
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
        let pipeline = try await StoreOpener.pipeline(dataDirectory: store.resolvedDataDirectory, entrySpansOnly: !allErrorSpans)
        var logger = Logger(label: "faultline.ingest")
        logger.logLevel = .warning
        var failures = 0
        for file in files {
            guard let chosen = format.flatMap(PayloadFormat.init(rawValue:)) ?? PayloadFormat(fileName: file) else {
                FileHandle.standardError.write(Data("\(file): cannot tell the format from the name; pass --format\n".utf8))
                failures += 1
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): cannot be read\n".utf8))
                failures += 1
                continue
            }
            do {
                let outcome = try await pipeline.ingest(bytes: [UInt8](data), kind: chosen.kind, contentType: chosen.contentType, logger: logger)
                print("\(file): \(outcome.spansScanned) spans, \(outcome.committed) error events stored")
            } catch let error as APIError {
                FileHandle.standardError.write(Data("\(file): \(error.reason)\n".utf8))
                failures += 1
            }
        }
        if failures > 0 {
            throw ExitCode(1)
        }
    }
}

/// Payload formats `faultline ingest` understands.
enum PayloadFormat: String, CaseIterable {
    case v04
    case v04JSON = "v04-json"
    case v05
    case otlpProto = "otlp-proto"
    case otlpJSON = "otlp-json"

    init?(fileName: String) {
        let lower = (fileName as NSString).lastPathComponent.lowercased()
        let isOTLP = lower.contains("otel") || lower.contains("otlp")
        switch (lower as NSString).pathExtension {
        case "msgpack", "mpk": self = lower.contains("v04") || lower.contains("v0.4") ? .v04 : .v05
        case "json": self = isOTLP ? .otlpJSON : .v04JSON
        case "pb", "protobuf", "proto": self = .otlpProto
        default: return nil
        }
    }

    var kind: IngestPipeline.PayloadKind {
        switch self {
        case .v04, .v04JSON: .datadogV04
        case .v05: .datadogV05
        case .otlpProto, .otlpJSON: .otlp
        }
    }

    var contentType: String {
        switch self {
        case .v04, .v05: "application/msgpack"
        case .v04JSON, .otlpJSON: "application/json"
        case .otlpProto: "application/x-protobuf"
        }
    }
}
