import ArgumentParser
import FaultlineServer
import FaultlineStore
import Foundation

/// A command that failed for a reason the user should read; exits 1 with the message.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Shared plumbing of the store-reading commands.
enum CommandSupport {
    /// The store `options` name, opened directly (works while the server runs).
    static func openStore(_ options: StoreOptions) throws -> IssueStore {
        do {
            return try StoreOpener.open(dataDirectory: options.resolvedDataDirectory)
        } catch {
            throw CommandFailure("cannot open the store in \(options.resolvedDataDirectory): \(error)")
        }
    }

    /// The decode → group → commit pipeline over the store `options` name.
    static func pipeline(_ options: StoreOptions, entrySpansOnly: Bool) throws -> IngestPipeline {
        IngestPipeline(store: try openStore(options), entrySpansOnly: entrySpansOnly)
    }

    /// The list request the options make, as the API would read them from a query string.
    static func request(_ raw: [String: String]) throws -> IssueListRequest {
        do {
            return try IssueListRequest(parameters: raw)
        } catch {
            throw ValidationError(error.reason)
        }
    }

    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
