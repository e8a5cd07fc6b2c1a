import FaultlineCore
import SwiftProtobuf

/// Decodes OTLP/HTTP trace exports (`/v1/traces`) into error events.
public struct OTLPIntake: Sendable {
    public var options: IntakeOptions

    public init(options: IntakeOptions = .init()) {
        self.options = options
    }

    /// Decodes one request body: `application/x-protobuf` (the default) or `application/json`.
    public func decode(_ body: [UInt8], contentType: String?) throws(IntakeError) -> IntakeBatch {
        let mediaType = (contentType ?? "").split(separator: ";", maxSplits: 1).first.map { $0.trimmingWhitespace().lowercased() } ?? ""
        let request: OTLPExportRequest
        switch mediaType {
        case "", "application/x-protobuf", "application/protobuf", "application/octet-stream":
            do {
                request = try OTLPExportRequest(serializedBytes: body)
            } catch {
                throw IntakeError("otlp protobuf: the body is not an ExportTraceServiceRequest (\(Self.describe(error)))")
            }
        case "application/json":
            do {
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                request = try OTLPExportRequest(jsonUTF8Bytes: OTLPJSONIDs.rewrite(body), options: options)
            } catch {
                throw IntakeError("otlp json: the body is not an ExportTraceServiceRequest (\(Self.describe(error)))")
            }
        default:
            throw IntakeError("otlp: unsupported content type \(mediaType); send application/x-protobuf or application/json")
        }
        return OTLPEventExtractor(options: options).extract(request)
    }

    /// The decoder's error kind only: its descriptions never include payload bytes.
    private static func describe(_ error: any Error) -> String {
        if let binary = error as? BinaryDecodingError { return "\(binary)" }
        if let json = error as? JSONDecodingError { return "\(json)" }
        return "unreadable"
    }
}
