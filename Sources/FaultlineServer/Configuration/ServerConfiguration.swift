import FaultlineCore
import Foundation

/// Everything `faultline serve` needs to start: addresses, directories, limits and optional keys.
public struct ServerConfiguration: Sendable, Hashable {
    /// Interface to listen on. Tracers default to `localhost`, so loopback is the safe default.
    public var host: String = "127.0.0.1"
    /// The main port: intake, API and explorer. 8126 is where Datadog tracers send by default.
    public var port: Int = 8126
    /// Second listener for OTLP/HTTP SDK defaults; nil turns it off. Serves the same routes.
    public var otlpPort: Int? = 4318
    /// Directory holding the SQLite store.
    public var dataDirectory: String = "./data"
    /// Directory holding bare repository mirrors.
    public var reposDirectory: String = "./repos"
    /// Largest request body accepted, compressed or not (the agent's limit is 25 MB).
    public var maxBodyBytes: Int = 25 * 1024 * 1024
    /// Database size limit (`max-store-bytes`): beyond it the oldest events are deleted, never an issue's
    /// latest or first. nil: only the age limit applies.
    public var maxStoreBytes: Int64?
    /// When set, intake requests must carry this value in `DD-API-KEY`.
    public var intakeAPIKey: String?
    /// When set, `/api/v1` requests need a credential, and this one is an admin token (`Authorization: Bearer <token>`,
    /// or signed in to the explorer with it). Tokens made with `faultline tokens create` need no setting.
    public var apiToken: String?
    /// The address users reach the server at (`public-url`, e.g. `https://faultline.acme.internal`): the explorer's
    /// origin for the same-origin check, https makes the session cookie Secure, and links in notifications use it.
    public var publicURL: URL?
    /// Keep only errors of service entry spans (Datadog's rule); false keeps every error span with a stack.
    public var entrySpansOnly: Bool = true
    /// swift-log level name (`trace` … `critical`).
    public var logLevel: String = "info"
    /// Repository URL patterns enrichment may clone (`--allow-repo`), besides the default forges.
    public var allowRepos: [String] = []
    /// Whether the default forges (https on github.com, gitlab.com, bitbucket.org, dev.azure.com) are
    /// allowed besides `allowRepos` (`--no-default-allow-repo` turns them off).
    public var defaultAllowRepos = true
    /// `PREFIX=REPLACEMENT` rules (`--repo-url-rewrite`, like git's `insteadOf`): where tagged repository URLs
    /// are really cloned from. Display, permalinks and the allow-list keep the tagged URL.
    public var repositoryURLRewrites: [RepositoryURLRewrite] = []
    /// Lines of code shown on each side of a frame's line.
    public var contextLines: Int = 5
    /// Retries of enrichments that failed for a passing reason: first delay, longest delay, when to stop (seconds).
    public var enrichmentRetryInitial: TimeInterval = 30
    public var enrichmentRetryMax: TimeInterval = 3600
    public var enrichmentGiveUpAfter: TimeInterval = 86400
    /// HTTPS token offered to every allowed host when cloning (never logged or stored).
    public var gitToken: String?
    /// SSH private key file for `ssh://` repositories.
    public var gitSSHKey: String?
    /// Run the enrichment worker beside the server.
    public var enrichmentEnabled: Bool = true
    /// Notification destination URL patterns (`--allow-notify`); empty: any https URL.
    public var allowNotify: [String] = []
    /// How long a notification waits for its issue's enrichment before going without code (seconds).
    public var notifyEnrichmentWait: TimeInterval = 10
    /// Delays between a notification's attempts (seconds); the Standard Webhooks schedule by default.
    public var notifyRetryDelays: [TimeInterval] = [5, 300, 1800, 7200, 18000, 36000]
    /// Per-attempt timeout of a notification (seconds).
    public var notifyTimeout: TimeInterval = 10
    /// How often threshold monitors are evaluated (seconds, at most 30).
    public var notifyThresholdInterval: TimeInterval = 30
    /// PagerDuty Events API v2 endpoint.
    public var pagerDutyEventsURL: String = "https://events.pagerduty.com/v2/enqueue"
    /// Run the monitors' delivery worker beside the server.
    public var monitorsEnabled: Bool = true
    /// How log lines are written (`log-format`): human-readable text or one JSON object per line.
    public var logFormat: LogFormat = .text
    /// A connection with no request for this long is closed (`idle-timeout`); nil never closes it.
    public var idleTimeout: Duration? = .seconds(60)
    /// A request's headers must all arrive within this time of its first byte (`header-timeout`), or the
    /// connection is answered 408 and closed.
    public var headerTimeout: Duration = .seconds(20)
    /// A request's body must all arrive within this time of its headers (`body-timeout`), or the connection is closed.
    public var bodyTimeout: Duration = .seconds(60)
    /// Open connections per listener (`max-connections`); beyond it new ones wait in the listen backlog.
    public var maxConnections: Int = 512

    public init() {}

    public init(
        host: String = "127.0.0.1",
        port: Int = 8126,
        otlpPort: Int? = 4318,
        dataDirectory: String = "./data",
        reposDirectory: String = "./repos",
        maxBodyBytes: Int = 25 * 1024 * 1024,
        intakeAPIKey: String? = nil,
        apiToken: String? = nil,
        entrySpansOnly: Bool = true,
        logLevel: String = "info"
    ) {
        self.host = host
        self.port = port
        self.otlpPort = otlpPort
        self.dataDirectory = dataDirectory
        self.reposDirectory = reposDirectory
        self.maxBodyBytes = maxBodyBytes
        self.intakeAPIKey = intakeAPIKey
        self.apiToken = apiToken
        self.entrySpansOnly = entrySpansOnly
        self.logLevel = logLevel
    }
}

extension ServerConfiguration: CustomStringConvertible {
    /// A description that never prints keys or tokens, only whether they are set.
    public var description: String {
        "host=\(host) port=\(port) otlp-port=\(otlpPort.map(String.init) ?? "off") data-dir=\(dataDirectory) "
            + "repos-dir=\(reposDirectory) max-body-bytes=\(maxBodyBytes) intake-key=\(intakeAPIKey == nil ? "unset" : "set") "
            + "api-token=\(apiToken == nil ? "unset" : "set") entry-spans-only=\(entrySpansOnly) "
            + "allow-repo=\(((defaultAllowRepos ? ["default"] : []) + allowRepos).joined(separator: ",")) "
            + "repo-url-rewrite=\(repositoryURLRewrites.map(\.description).joined(separator: ",")) context-lines=\(contextLines) "
            + "git-token=\(gitToken == nil ? "unset" : "set") git-ssh-key=\(gitSSHKey == nil ? "unset" : "set") "
            + "log-format=\(logFormat.rawValue) idle-timeout=\(idleTimeout.map { "\($0)" } ?? "off") header-timeout=\(headerTimeout) "
            + "body-timeout=\(bodyTimeout) max-connections=\(maxConnections) "
            + "public-url=\(publicURL?.absoluteString ?? "unset") "
            + "allow-notify=\(allowNotify.isEmpty ? "https://*" : allowNotify.joined(separator: ","))"
    }
}
