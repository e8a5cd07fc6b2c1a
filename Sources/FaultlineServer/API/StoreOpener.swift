import FaultlineCore
import FaultlineStore
import Foundation

/// Opens the store a configuration names, for the server and the CLI.
public enum StoreOpener {
    public static func open(configuration: ServerConfiguration) async throws -> IssueStore {
        try open(dataDirectory: configuration.dataDirectory)
    }

    public static func open(dataDirectory: String) throws -> IssueStore {
        try IssueStore(configuration: StoreConfiguration(dataDirectory: URL(fileURLWithPath: dataDirectory)))
    }

    /// The decode → group → commit pipeline over a store in `dataDirectory` (for `faultline ingest`).
    public static func pipeline(dataDirectory: String, entrySpansOnly: Bool) async throws -> IngestPipeline {
        IngestPipeline(store: try open(dataDirectory: dataDirectory), entrySpansOnly: entrySpansOnly)
    }
}
