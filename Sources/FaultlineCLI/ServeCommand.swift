import ArgumentParser
import FaultlineServer
import Foundation
import Hummingbird
import Logging

/// `faultline serve`: run the intake, API and explorer server until interrupted.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Faultline server (Datadog agent intake, OTLP/HTTP intake, JSON API).",
        discussion: """
            Settings come from, lowest precedence first: defaults, the --config file, FAULTLINE_* \
            environment variables (FAULTLINE_HOST, FAULTLINE_PORT, FAULTLINE_OTLP_PORT, FAULTLINE_DATA_DIR, \
            FAULTLINE_REPOS_DIR, FAULTLINE_MAX_BODY_BYTES, FAULTLINE_INTAKE_API_KEY, FAULTLINE_API_TOKEN, \
            FAULTLINE_ENTRY_SPANS_ONLY, FAULTLINE_LOG_LEVEL, FAULTLINE_ALLOW_REPO, FAULTLINE_CONTEXT_LINES, \
            FAULTLINE_GIT_TOKEN, FAULTLINE_GIT_SSH_KEY, FAULTLINE_ENRICHMENT, FAULTLINE_LOG_FORMAT, FAULTLINE_IDLE_TIMEOUT, \
            FAULTLINE_HEADER_TIMEOUT, FAULTLINE_BODY_TIMEOUT, FAULTLINE_MAX_CONNECTIONS, FAULTLINE_PUBLIC_URL), then these options. The config file is a JSON \
            object or `key = value` lines with the same keys (port, otlp-port, data-dir, …).
            """
    )

    @Option(help: "Config file (JSON object or key = value lines).")
    var config: String?

    @Option(help: "Interface to listen on (default 127.0.0.1; use 0.0.0.0 to accept remote tracers).")
    var host: String?

    @Option(help: "Main port: intake, API and explorer (default 8126, where Datadog tracers send). 0 picks a free port.")
    var port: Int?

    @Option(name: .customLong("otlp-port"), help: "OTLP/HTTP port (default 4318); 'off' disables the second listener.")
    var otlpPort: String?

    @Option(name: .customLong("data-dir"), help: "Directory of the SQLite store (default ./data).")
    var dataDir: String?

    @Option(name: .customLong("repos-dir"), help: "Directory of repository mirrors (default ./repos).")
    var reposDir: String?

    @Option(name: .customLong("allow-repo"), help: "Repository URL pattern enrichment may clone besides the defaults (https on github.com, gitlab.com, bitbucket.org, dev.azure.com), e.g. 'https://git.acme.internal/*' or 'file:///srv/git/*' (repeatable).")
    var allowRepos: [String] = []

    @Flag(name: .customLong("no-default-allow-repo"), help: "Allow only the --allow-repo patterns, not the default forges.")
    var noDefaultAllowRepo = false

    @Option(name: .customLong("repo-url-rewrite"), help: "PREFIX=REPLACEMENT: clone repositories tagged with a URL starting with PREFIX from REPLACEMENT instead, like git's insteadOf, e.g. 'https://github.com/acme/=file:///srv/git/acme/' (repeatable). Links and display keep the tagged URL.")
    var repoURLRewrites: [String] = []

    @Option(name: .customLong("context-lines"), help: "Lines of code shown around each frame's line (default 5).")
    var contextLines: Int?

    @Option(name: .customLong("allow-notify"), help: "Notification URL pattern monitors may send to (default: any https URL), e.g. 'https://hooks.slack.com/*'; loopback and private addresses only when a pattern names the host (repeatable).")
    var allowNotify: [String] = []

    @Option(name: .customLong("public-url"), help: "The explorer's address as users reach it, linked from notifications.")
    var publicURL: String?

    @Flag(name: .customLong("all-error-spans"), help: "Keep errors of every span with a stack, not only service entry spans.")
    var allErrorSpans = false

    @Option(name: .customLong("log-format"), help: "Log lines as 'text' (default) or 'json' (one object per line, with hb.request.id).")
    var logFormat: String?

    @Option(name: .customLong("idle-timeout"), help: "Close a connection idle this long, e.g. 60s (default), 5m or 'off'.")
    var idleTimeout: String?

    @Option(name: .customLong("header-timeout"), help: "Answer 408 and close when a request's headers take longer than this after its first byte (default 20s).")
    var headerTimeout: String?

    @Option(name: .customLong("body-timeout"), help: "Close when a request's body takes longer than this after its headers (default 60s).")
    var bodyTimeout: String?

    @Option(name: .customLong("max-connections"), help: "Open connections per listener (default 512); more wait in the listen backlog.")
    var maxConnections: Int?

    func run() async throws {
        let configuration = try resolvedConfiguration(environment: ProcessInfo.processInfo.environment)
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            configuration.logFormat.standardErrorHandler(label: label, level: level)
        }
        let app = try await buildApplication(configuration) { name, port in
            // One line per listener on stdout, for scripts and tests waiting for the server.
            FileHandle.standardOutput.write(Data("faultline listening \(name) http://\(configuration.host):\(port)\n".utf8))
        }
        try await app.runService()
    }

    func resolvedConfiguration(environment: [String: String]) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        do {
            if let config {
                try configuration.apply(configFile: config)
            }
            try configuration.apply(environment: environment)
            if let host { try configuration.apply(key: "host", value: host, source: "--host") }
            if let port { try configuration.apply(key: "port", value: String(port), source: "--port") }
            if let otlpPort { try configuration.apply(key: "otlp-port", value: otlpPort, source: "--otlp-port") }
            if let dataDir { try configuration.apply(key: "data-dir", value: dataDir, source: "--data-dir") }
            if let reposDir { try configuration.apply(key: "repos-dir", value: reposDir, source: "--repos-dir") }
            for pattern in allowRepos { try configuration.apply(key: "allow-repo", value: pattern, source: "--allow-repo") }
            if noDefaultAllowRepo { configuration.defaultAllowRepos = false }
            for rule in repoURLRewrites { try configuration.apply(key: "repo-url-rewrite", value: rule, source: "--repo-url-rewrite") }
            if let contextLines { try configuration.apply(key: "context-lines", value: String(contextLines), source: "--context-lines") }
            if allErrorSpans { configuration.entrySpansOnly = false }
            if let logFormat { try configuration.apply(key: "log-format", value: logFormat, source: "--log-format") }
            if let idleTimeout { try configuration.apply(key: "idle-timeout", value: idleTimeout, source: "--idle-timeout") }
            if let headerTimeout { try configuration.apply(key: "header-timeout", value: headerTimeout, source: "--header-timeout") }
            if let bodyTimeout { try configuration.apply(key: "body-timeout", value: bodyTimeout, source: "--body-timeout") }
            if let maxConnections { try configuration.apply(key: "max-connections", value: String(maxConnections), source: "--max-connections") }
            for pattern in allowNotify { try configuration.apply(key: "allow-notify", value: pattern, source: "--allow-notify") }
            if let publicURL { try configuration.apply(key: "public-url", value: publicURL, source: "--public-url") }
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        return configuration
    }
}
