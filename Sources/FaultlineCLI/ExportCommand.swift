import ArgumentParser
import FaultlineServer
import Foundation

/// `faultline export`: every matching issue with its latest event, as the export endpoint streams it.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export issues with their latest event as JSON or NDJSON (same bytes as GET /api/v1/export)."
    )

    @OptionGroup var store: StoreOptions

    @Option(name: [.customShort("q"), .long], help: "Issue query.")
    var query: String = ""

    @Option(help: "Sort: count, lastSeen or firstSeen (add :asc or :desc).")
    var sort: String?

    @Option(help: "json (one array) or ndjson (one issue per line).")
    var format: String = "json"

    func validate() throws {
        guard ExportFormat(rawValue: format) != nil else { throw ValidationError("format must be json or ndjson") }
    }

    func run() async throws {
        var raw = ["q": query]
        if let sort { raw["sort"] = sort }
        let parameters = try CommandSupport.request(raw)
        let exportFormat = ExportFormat(rawValue: format) ?? .json
        let repository = try CommandSupport.openStore(store)
        var encoder = ExportEncoder(format: exportFormat)
        let output = FileHandle.standardOutput
        for try await issue in repository.exportIssues(parameters) {
            output.write(Data(try encoder.encode(issue)))
        }
        output.write(Data(encoder.finish()))
    }
}
