import FaultlineCore
import SwiftProtobuf

/// Decodes OTLP/HTTP trace exports (`/v1/traces`) into error events.
public struct OTLPIntake: Sendable {
    /// The rule applied to every payload.
    public var options: IntakeOptions

    /// An intake applying `options`.
    public init(options: IntakeOptions = .init()) {
        self.options = options
    }

    /// Decodes one request body: `application/x-protobuf` (the default) or `application/json`.
    public func decode(_ body: [UInt8], contentType: String?) throws(IntakeError) -> IntakeBatch {
        let mediaType = (contentType ?? "").split(separator: ";", maxSplits: 1).first.map { $0.trimmingWhitespace().lowercased() } ?? ""
        let protobuf: [UInt8]
        switch mediaType {
        case "", "application/x-protobuf", "application/protobuf", "application/octet-stream":
            protobuf = body
        case "application/json":
            // JSON is rare and small: decode it whole, then take the protobuf path.
            do {
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                let request = try OTLPExportRequest(jsonUTF8Bytes: OTLPJSONIDs.rewrite(body), options: options)
                protobuf = try request.serializedBytes()
            } catch {
                throw IntakeError("otlp json: the body is not an ExportTraceServiceRequest (\(Self.describe(error)))")
            }
        default:
            throw IntakeError("otlp: unsupported content type \(mediaType); send application/x-protobuf or application/json")
        }
        let extractor = OTLPEventExtractor(options: options)
        let result = protobuf.withUnsafeBytes { bytes in
            Result { () throws(IntakeError) -> IntakeBatch in try extractor.extract(bytes) }
        }
        return try result.get()
    }

    /// The decoder's error kind only: its descriptions never include payload bytes.
    private static func describe(_ error: any Error) -> String {
        if let binary = error as? BinaryDecodingError { return "\(binary)" }
        if let json = error as? JSONDecodingError { return "\(json)" }
        return "unreadable"
    }
}
