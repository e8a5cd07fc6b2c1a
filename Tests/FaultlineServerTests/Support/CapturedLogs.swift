import Foundation
import Logging

/// Log entries kept in memory, for tests that read what the server logged.
final class CapturedLogs: @unchecked Sendable {
    // @unchecked: `entries` is read and written only under `lock`.
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// The entry as one line: message, then every metadata key and value.
        var line: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let lock = NSLock()
    private var stored: [Entry] = []

    var entries: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func append(_ entry: Entry) {
        lock.lock()
        stored.append(entry)
        lock.unlock()
    }

    /// A logger at `level` writing here.
    func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "faultline-test") { _ in Handler(logs: self) }
        logger.logLevel = level
        return logger
    }

    struct Handler: LogHandler {
        let logs: CapturedLogs
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            logs.append(Entry(level: event.level, message: event.message.description, metadata: merged.mapValues(\.description)))
        }
    }
}
