import FaultlineCore
import FaultlineIntake

/// One libFuzzer entry point: what `scripts/fuzz TARGET` feeds the bytes to. Each must return without a
/// crash for any input; a decoder's `IntakeError` is an answer, not a failure.
enum FuzzTarget: String, CaseIterable {
    case datadogV04 = "datadog-v04"
    case datadogV04JSON = "datadog-v04-json"
    case datadogV05 = "datadog-v05"
    case otlpProtobuf = "otlp-protobuf"
    case otlpJSON = "otlp-json"
    case query
    case stackDetected = "stack-detected"
    case stackPython = "stack-python"
    case stackJVM = "stack-jvm"
    case stackGo = "stack-go"
    case stackNode = "stack-node"
    case stackRuby = "stack-ruby"
    case stackDotNet = "stack-dotnet"
    case stackPHP = "stack-php"
    case stackCpp = "stack-cpp"

    /// Runs one input; nothing it returns matters, only that it returns.
    func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .datadogV04: decode(bytes, as: .datadogV04)
        case .datadogV04JSON: decode(bytes, as: .datadogV04JSON)
        case .datadogV05: decode(bytes, as: .datadogV05)
        case .otlpProtobuf: decode(bytes, as: .otlpProtobuf)
        case .otlpJSON: decode(bytes, as: .otlpJSON)
        case .query:
            _ = try? IssueQuery(parsing: String(decoding: bytes, as: UTF8.self))
        case .stackDetected: parseStack(bytes, language: nil)
        case .stackPython: parseStack(bytes, language: .python)
        case .stackJVM: parseStack(bytes, language: .jvm)
        case .stackGo: parseStack(bytes, language: .go)
        case .stackNode: parseStack(bytes, language: .nodejs)
        case .stackRuby: parseStack(bytes, language: .ruby)
        case .stackDotNet: parseStack(bytes, language: .dotnet)
        case .stackPHP: parseStack(bytes, language: .php)
        case .stackCpp: parseStack(bytes, language: .cpp)
        }
    }

    /// The whole intake path of one format, every found event grouped as the server would.
    private func decode(_ bytes: UnsafeRawBufferPointer, as format: PayloadFormat) {
        guard let batch = try? format.decode(Array(bytes)) else { return }
        let grouper = Grouper()
        for event in batch.events {
            _ = grouper.group(event)
        }
    }

    private func parseStack(_ bytes: UnsafeRawBufferPointer, language: Language?) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = StackTraceParser.parse(text, language: language, reportedMessage: "fuzz")
    }
}
