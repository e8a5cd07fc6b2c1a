import CoreMetrics
import FaultlineCore
import FaultlineEnrichment
import FaultlineStore
import Foundation
import Logging

extension ServerConfiguration {
    /// The default forges over HTTPS (unless turned off) and the configured `--allow-repo` patterns.
    public var repositoryAllowList: RepositoryAllowList {
        RepositoryAllowList(patterns: (defaultAllowRepos ? RepositoryAllowList.defaultPatterns : []) + allowRepos)
    }

    /// Where mirrors live, what may be cloned, and with which credentials.
    public var mirrorConfiguration: MirrorConfiguration {
        var tokens: [String: String] = [:]
        if let gitToken {
            for host in GitCredentialSource.tokenHosts(explicitPatterns: allowRepos) { tokens[host] = gitToken }
        }
        return MirrorConfiguration(
            directory: URL(fileURLWithPath: reposDirectory),
            allowList: repositoryAllowList,
            rewrites: RepositoryURLRewrites(repositoryURLRewrites),
            credentials: GitCredentialSource(httpsTokens: tokens, sshPrivateKeyPath: gitSSHKey),
            // A failed repository is not tried again sooner than the worker's first retry would.
            retryAfter: .milliseconds(Int(min(enrichmentRetryInitial, 60) * 1000))
        )
    }
}

/// The background enrichment worker `serve` runs beside the HTTP server (and `repos sync` runs once).
/// `metrics` receives the worker's results and the mirrors' transfers.
public func buildEnrichmentWorker(
    _ configuration: ServerConfiguration, store: IssueStore, logger: Logger, metrics: ServerMetrics? = nil
) -> EnrichmentWorker {
    let factory: any MetricsFactory = metrics?.factory ?? MetricsSystem.factory
    var logger = logger
    logger[metadataKey: "component"] = "enrichment"
    let enricher = TraceEnricher(
        configuration: configuration.mirrorConfiguration,
        options: EnrichmentOptions(contextLines: configuration.contextLines, includeBlame: true),
        metricsFactory: factory
    )
    let settings = EnrichmentWorker.Settings(
        retryInitial: configuration.enrichmentRetryInitial, retryMax: configuration.enrichmentRetryMax,
        giveUpAfter: configuration.enrichmentGiveUpAfter)
    return EnrichmentWorker(store: store, enricher: enricher, settings: settings, logger: logger, metricsFactory: factory)
}
