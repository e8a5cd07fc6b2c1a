import FaultlineIntake
import Foundation

extension PayloadFormat {
    /// The format `faultline ingest` assumes from a file's name when `--format` is not given.
    init?(fileName: String) {
        let lower = (fileName as NSString).lastPathComponent.lowercased()
        let isOTLP = lower.contains("otel") || lower.contains("otlp")
        switch (lower as NSString).pathExtension {
        case "msgpack", "mpk": self = lower.contains("v04") || lower.contains("v0.4") ? .datadogV04 : .datadogV05
        case "json": self = isOTLP ? .otlpJSON : .datadogV04JSON
        case "pb", "protobuf", "proto": self = .otlpProtobuf
        default: return nil
        }
    }
}
