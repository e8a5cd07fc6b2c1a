import ArgumentParser
import FaultlineCore
import FaultlineServer
import FaultlineStore
import Foundation

/// `faultline issues`: list, show and triage issues straight from the store.
struct IssuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issues",
        abstract: "List, show and change the status of issues (reads the store directly; works while the server runs).",
        subcommands: [
            List.self, Show.self,
            StatusChange<Resolve>.self, StatusChange<Acknowledge>.self, StatusChange<Ignore>.self,
            StatusChange<Reopen>.self, StatusChange<Exclude>.self,
        ]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List issues matching a query.")

        @OptionGroup var store: StoreOptions

        @Option(name: [.customShort("q"), .long], help: "Issue query, e.g. 'service:checkout env:prod status:open'.")
        var query: String = ""

        @Option(help: "Sort: count, lastSeen or firstSeen (add :asc or :desc).")
        var sort: String?

        @Option(help: "Most issues to print (1-1000).")
        var limit: Int = 50

        @Flag(help: "Print JSON (the API's IssuePage) instead of a table.")
        var json = false

        func run() async throws {
            var raw = ["q": query, "limit": String(limit)]
            if let sort { raw["sort"] = sort }
            let parameters = try CommandSupport.request(raw)
            let repository = try CommandSupport.openStore(store)
            let page = try await repository.issuePage(parameters)
            if json {
                try CommandSupport.printJSON(page)
            } else {
                print(IssueTable.render(page.issues), terminator: "")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one issue with its latest stack trace and the code that ran.")

        @OptionGroup var store: StoreOptions

        @OptionGroup var issue: IssueIDArgument

        @Flag(help: "Print JSON (the API's IssueDetail, frames with their source).")
        var json = false

        func run() async throws {
            let repository = try CommandSupport.openStore(store)
            guard let detail = try await repository.issueDetail(id: issue.id) else {
                throw CommandFailure("no issue \(issue.id)")
            }
            if json {
                try CommandSupport.printJSON(detail)
            } else {
                let environment = ProcessInfo.processInfo.environment
                let color = isatty(STDOUT_FILENO) != 0 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
                print(SourceTraceRenderer.render(detail, color: color), terminator: "")
            }
        }
    }

    /// A status a subcommand sets.
    protocol TargetStatus {
        static var name: String { get }
        static var status: IssueStatus { get }
    }
    enum Resolve: TargetStatus { static let name = "resolve"; static let status = IssueStatus.resolved }
    enum Acknowledge: TargetStatus { static let name = "ack"; static let status = IssueStatus.acknowledged }
    enum Ignore: TargetStatus { static let name = "ignore"; static let status = IssueStatus.ignored }
    enum Reopen: TargetStatus { static let name = "reopen"; static let status = IssueStatus.open }
    enum Exclude: TargetStatus { static let name = "exclude"; static let status = IssueStatus.excluded }

    struct StatusChange<Target: TargetStatus>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Target.name, abstract: "Set an issue's status to \(Target.status.rawValue).")
        }

        @OptionGroup var store: StoreOptions

        @OptionGroup var issue: IssueIDArgument

        func run() async throws {
            let repository = try CommandSupport.openStore(store)
            guard let changed = try await repository.changeStatus(issueID: issue.id, to: Target.status, actor: .cli) else {
                throw CommandFailure("no issue \(issue.id)")
            }
            print("Issue \(changed.id) is now \(changed.status.rawValue).")
        }
    }
}
