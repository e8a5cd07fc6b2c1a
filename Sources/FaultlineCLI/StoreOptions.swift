import ArgumentParser
import Foundation

/// `--data-dir` for commands that open the store directly (they work while the server runs).
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory of the SQLite store (default $FAULTLINE_DATA_DIR or ./data).")
    var dataDir: String?

    var resolvedDataDirectory: String {
        if let dataDir { return dataDir }
        if let fromEnvironment = ProcessInfo.processInfo.environment["FAULTLINE_DATA_DIR"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "./data"
    }
}
