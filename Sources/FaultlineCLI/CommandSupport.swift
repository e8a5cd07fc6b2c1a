import ArgumentParser
import FaultlineServer
import Foundation

/// A command that failed for a reason the user should read; exits 1 with the message.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Shared plumbing of the store-reading commands.
enum CommandSupport {
    static func open(_ options: StoreOptions) throws -> any IssueRepository {
        do {
            return try StoreOpener.open(dataDirectory: options.resolvedDataDirectory)
        } catch {
            throw CommandFailure("cannot open the store in \(options.resolvedDataDirectory): \(error)")
        }
    }

    static func parameters(_ raw: [String: String]) throws -> IssueListParameters {
        do {
            return try IssueListParameters(parameters: raw)
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
