import ArgumentParser
import FaultlineServer

/// The `faultline` command: configures and dispatches to subcommands only.
public struct FaultlineCommand: AsyncParsableCommand {
    /// The root's name, version and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "faultline",
        abstract: "A self-hosted error tracker for backend services.",
        version: FaultlineVersion.string,
        subcommands: [
            ServeCommand.self, IssuesCommand.self, ReposCommand.self, ServicesCommand.self, TokensCommand.self, MonitorsCommand.self, ExportCommand.self, IngestCommand.self,
            ParseCommand.self,
        ]
    )

    /// A root command with no options of its own (ArgumentParser needs the initialiser public).
    public init() {}

    /// Parses the process's arguments, runs the chosen command and exits with its status.
    public static func runMain() async {
        await main()
    }
}
