import FaultlineCore
import FaultlineStore
import Foundation

/// Opens the store a configuration names, for the server and the CLI.
public enum StoreOpener {
    /// The store in the configuration's data directory.
    public static func open(configuration: ServerConfiguration) async throws -> IssueStore {
        try open(dataDirectory: configuration.dataDirectory)
    }

    /// The SQLite store in `dataDirectory`, created and migrated when new.
    public static func open(dataDirectory: String) throws -> IssueStore {
        try IssueStore(configuration: StoreConfiguration(dataDirectory: URL(fileURLWithPath: dataDirectory)))
    }
}
