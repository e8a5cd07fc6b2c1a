import Foundation
import Logging

/// How `serve` writes its log lines (`log-format`).
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// swift-log's human-readable lines.
    case text
    /// One JSON object per line (``JSONLogHandler``), for log shippers.
    case json

    /// A handler writing this format to standard error at `level`.
    public func standardErrorHandler(label: String, level: Logger.Level) -> any LogHandler {
        switch self {
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        case .json:
            var handler = JSONLogHandler(label: label, sink: JSONLogHandler.standardError)
            handler.logLevel = level
            return handler
        }
    }
}
