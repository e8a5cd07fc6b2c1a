import ArgumentParser
import FaultlineServer
import FaultlineStore
import Foundation

/// `faultline services`: which versions of each service run, and how many errors each produces per request.
struct ServicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Services, their versions and error rates (from every entry span, error or not).",
        subcommands: [List.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Each service's versions with first/last seen, entry spans, errors and error rate.")

        @OptionGroup var store: StoreOptions

        @Flag(help: "Print JSON (the API's GET /api/v1/services).")
        var json = false

        func run() async throws {
            let services = ServiceListResponse(services: try await CommandSupport.openStore(store).services())
            if json {
                try CommandSupport.printJSON(services)
                return
            }
            print(Self.render(services), terminator: "")
        }

        static func render(_ response: ServiceListResponse) -> String {
            guard !response.services.isEmpty else { return "No service traffic seen yet.\n" }
            let formatter = ISO8601DateFormatter()
            var lines: [String] = []
            for service in response.services {
                lines.append("\(service.service)\(service.env.map { " (\($0))" } ?? "")")
                for version in service.versions {
                    let rate = String(format: "%.2f%%", version.errorRate * 100)
                    lines.append(
                        "  \(version.version ?? "(no version)")  first \(formatter.string(from: version.firstSeen))  last \(formatter.string(from: version.lastSeen))"
                            + "  \(version.entrySpans) request\(version.entrySpans == 1 ? "" : "s")  \(version.errorSpans) error\(version.errorSpans == 1 ? "" : "s")  \(rate)  \(version.newIssues) new issue\(version.newIssues == 1 ? "" : "s")")
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
