import ArgumentParser

/// The `faultline` command: configures and dispatches to subcommands only.
@main
struct Faultline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faultline",
        abstract: "A self-hosted error tracker for backend services.",
        subcommands: [ServeCommand.self, IssuesCommand.self, ExportCommand.self, IngestCommand.self, ParseCommand.self, BenchCommand.self]
    )
}
