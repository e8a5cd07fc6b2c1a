import ArgumentParser
import FaultlineCore
import FaultlineEnrichment
import FaultlineServer
import FaultlineStore
import Foundation

/// `faultline repos`: link services to repositories and see their mirrors (reads and writes the store directly).
struct ReposCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repos",
        abstract: "Link services to Git repositories and see the state of their mirrors.",
        discussion: """
            Links made here are picked up by a running `faultline serve` within seconds. Events that \
            carry git.repository_url / git.commit.sha need no link; a link then only adds path mappings.
            """,
        subcommands: [Link.self, List.self, Unlink.self, Sync.self]
    )

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "link", abstract: "Link a service (or one of its versions) to a repository.")

        @OptionGroup var store: StoreOptions

        @Argument(help: "Service name, as tracers report it.")
        var service: String

        @Argument(help: "Repository URL (https://, ssh://, git@host:org/x.git, file:// or a local path). Credentials in it are dropped.")
        var url: String

        @Option(help: "Only this version of the service.")
        var version: String?

        @Option(help: "Commit SHA, branch or tag to read when events name no commit. A branch or tag is resolved when a version is first seen and pinned for that version (repos list shows the pins).")
        var ref: String?

        @Option(name: .customLong("allow-repo"), help: "Allow-list pattern besides the defaults, as `serve --allow-repo` (repeatable; FAULTLINE_ALLOW_REPO is read too). The link is refused when the server could not clone it.")
        var allowRepos: [String] = []

        @Flag(name: .customLong("no-default-allow-repo"), help: "Allow only the --allow-repo patterns, as `serve --no-default-allow-repo`.")
        var noDefaultAllowRepo = false

        @Option(name: .customLong("map"), help: "STACK_ROOT=SOURCE_ROOT: a path prefix as the runtime printed it and the repository directory it is (repeatable).")
        var maps: [String] = []

        func validate() throws {
            for map in maps where PathMapping(argument: map) == nil {
                throw ValidationError("--map must look like STACK_ROOT=SOURCE_ROOT, e.g. /app=src")
            }
        }

        func run() async throws {
            let mappings = maps.compactMap(PathMapping.init(argument:))
            let request = RepositoryLinkRequest(service: service, url: url, version: version, ref: ref, mappings: mappings)
            // The same allow-list as `serve` builds from the same settings, checked the way the API checks it.
            var settings = ServerConfiguration()
            do {
                try settings.apply(environment: ProcessInfo.processInfo.environment)
                for pattern in allowRepos { try settings.apply(key: "allow-repo", value: pattern, source: "--allow-repo") }
            } catch let error as ConfigurationError {
                throw ValidationError(error.description)
            }
            if noDefaultAllowRepo { settings.defaultAllowRepos = false }
            let link: RepositoryLink
            do {
                link = try request.link(allowedBy: settings.repositoryAllowList)
            } catch {
                throw ValidationError(error.reason)
            }
            let stored = try await CommandSupport.openStore(store).linkRepository(link)
            print("Linked \(stored.service)\(stored.version.map { " version \($0)" } ?? "") to \(stored.repositoryURL)\(stored.ref.map { " at \($0)" } ?? "").")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List links and the state of every mirror.")

        @OptionGroup var store: StoreOptions

        @Flag(help: "Print JSON (the API's GET /api/v1/repos).")
        var json = false

        func run() async throws {
            let issueStore = try CommandSupport.openStore(store)
            let response = try await RepositoryListResponse.read(from: issueStore)
            if json {
                try CommandSupport.printJSON(response)
                return
            }
            print(ReposCommand.render(response), terminator: "")
        }
    }

    struct Unlink: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unlink", abstract: "Remove the link of a service (or one of its versions).")

        @OptionGroup var store: StoreOptions

        @Argument(help: "Service name.")
        var service: String

        @Option(help: "The version the link was made for.")
        var version: String?

        func run() async throws {
            guard try await CommandSupport.openStore(store).unlinkRepository(service: service, version: version) else {
                throw CommandFailure("no link for service \(service)\(version.map { " version \($0)" } ?? "")")
            }
            print("Unlinked \(service)\(version.map { " version \($0)" } ?? "").")
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Re-enrich issues (all, or one service's): the running server fetches what is missing and redoes their sources."
        )

        @OptionGroup var store: StoreOptions

        @Option(help: "Only this service's issues.")
        var service: String?

        func run() async throws {
            let count = try await CommandSupport.openStore(store).invalidateEnrichments(service: service)
            print("\(count) issue\(count == 1 ? "" : "s") queued for enrichment.")
        }
    }

    static func render(_ response: RepositoryListResponse) -> String {
        var lines: [String] = []
        if response.links.isEmpty {
            lines.append("No manual links (events with git tags need none).")
        } else {
            lines.append("Links:")
            for link in response.links {
                var line = "  \(link.service)\(link.version.map { "@\($0)" } ?? "")  →  \(link.repositoryURL)"
                if let ref = link.ref { line += "  ref \(ref)" }
                for mapping in link.mappings { line += "  map \(mapping.stackRoot)=\(mapping.sourceRoot)" }
                lines.append(line)
            }
        }
        if !response.pins.isEmpty {
            let formatter = ISO8601DateFormatter()
            lines.append("Pinned versions (a branch or tag resolved once per version):")
            for pin in response.pins {
                lines.append("  \(pin.service)@\(pin.version ?? "(no version)")  \(pin.ref) → \(pin.commitSHA)  pinned \(formatter.string(from: pin.pinnedAt))")
            }
        }
        if response.repositories.isEmpty {
            lines.append("No mirrors yet.")
        } else {
            let formatter = ISO8601DateFormatter()
            lines.append("Mirrors:")
            for repository in response.repositories {
                var line = "  \(repository.repositoryURL)  \(repository.state.rawValue)"
                if let fetched = repository.lastFetchAt { line += "  fetched \(formatter.string(from: fetched))" }
                if let error = repository.lastError { line += "  error: \(error)" }
                if let next = repository.nextAttemptAt { line += "  next attempt \(formatter.string(from: next))" }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
