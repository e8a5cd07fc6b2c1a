import GRDB

/// A store failure, naming the operation; never prints bound values or event contents.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely, for callers that map errors (e.g. to HTTP statuses).
    public enum Kind: String, Sendable, Hashable {
        /// The data directory or database file could not be created or opened.
        case open
        /// A migration failed or the schema is newer than this build knows.
        case schema
        /// SQLite reported an error while reading or writing.
        case database
        /// Stored data could not be decoded.
        case corruptData
        /// A read-only store was asked to write.
        case readOnly
        /// A cursor or argument the caller passed is not valid.
        case invalidArgument
    }

    public var kind: Kind
    /// The store operation, e.g. `ingest`, `issues`, `setStatus`.
    public var operation: String
    /// Detail without bound values: SQLite's result code and message, or a fixed reason.
    public var detail: String

    public init(_ kind: Kind, operation: String, detail: String) {
        self.kind = kind
        self.operation = operation
        self.detail = detail
    }

    public var description: String { "store \(operation) failed (\(kind.rawValue)): \(detail)" }
}

extension StoreError {
    /// Maps any error to a StoreError for `operation`, keeping SQLite's code and message but never the SQL's arguments.
    static func wrap(_ error: any Error, operation: String) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case let error as DatabaseError:
            let message = error.message ?? "no message"
            return StoreError(.database, operation: operation, detail: "SQLite error \(error.extendedResultCode.rawValue): \(message)")
        case is CancellationError:
            return error
        default:
            return StoreError(.database, operation: operation, detail: "\(type(of: error))")
        }
    }
}
