import FaultlineCore
import FaultlineEnrichment
import FaultlineMonitors
import FaultlineStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the Faultline server: one router served on the main port and, when configured, on the
/// OTLP port too (a second listener run as a service of the first). Tests call this as `serve` does.
/// - Parameter onListening: called with (port name, bound port) once each listener is up.
public func buildApplication(
    _ configuration: ServerConfiguration,
    logger: Logger? = nil,
    onListening: (@Sendable (String, Int) async -> Void)? = nil
) async throws -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "faultline")
    logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info

    let store = try await StoreOpener.open(configuration: configuration)
    let metrics = ServerMetrics()
    let worker = configuration.enrichmentEnabled ? buildEnrichmentWorker(configuration, store: store, logger: logger, metrics: metrics) : nil
    let traffic = TrafficRecorder(store: store, logger: logger)
    let delivery = configuration.monitorsEnabled ? buildDeliveryWorker(configuration, store: store, logger: logger) : nil
    let router = buildRouter(configuration, store: store, enrichmentWorker: worker, traffic: traffic, deliveryWorker: delivery, metrics: metrics)

    var services: [any Service] = [StoreMaintenance(store: store, maxStoreBytes: configuration.maxStoreBytes, logger: logger, metrics: metrics), traffic]
    if let worker { services.append(worker) }
    if let delivery { services.append(delivery) }
    if let otlpPort = configuration.otlpPort {
        services.append(
            Application(
                responder: router.buildResponder(),
                server: configuration.httpServer,
                configuration: configuration.applicationConfiguration(port: otlpPort, metrics: metrics, logger: logger),
                onServerRunning: { channel in
                    await onListening?("otlp", channel.localAddress?.port ?? otlpPort)
                },
                logger: logger
            )
        )
    }
    logger.info("Starting Faultline", metadata: ["config": "\(configuration)"])
    return Application(
        responder: router.buildResponder(),
        server: configuration.httpServer,
        configuration: configuration.applicationConfiguration(port: configuration.port, metrics: metrics, logger: logger),
        services: services,
        onServerRunning: { channel in
            await onListening?("main", channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}

/// The router alone, for in-process tests and for the OpenAPI check.
/// `enrichmentWorker` is woken after each committed ingest and each repository change.
/// `traffic` counts entry spans between flushes; without one, each payload's counts are written at once.
/// `deliveryWorker` (monitors) is woken after each committed ingest and each test notification.
/// `metrics` is what `/metrics` serves (a new, empty set when none is given).
public func buildRouter(
    _ configuration: ServerConfiguration, store: IssueStore, enrichmentWorker: EnrichmentWorker? = nil, traffic: TrafficRecorder? = nil,
    deliveryWorker: DeliveryWorker? = nil, metrics: ServerMetrics = ServerMetrics()
) -> Router<FaultlineRequestContext> {
    let router = Router(context: FaultlineRequestContext.self)
    // Outermost: the request id, the debug request log (query values redacted) and latencies see every answer.
    router.middlewares.add(RequestObservationMiddleware(metrics: metrics))
    router.middlewares.add(ErrorMappingMiddleware())
    // Before every route: it guards all of /api/v1, routes added below and later alike.
    let authenticator = APIAuthenticator(store: store, apiToken: configuration.apiToken, sessionPolicy: SessionPolicy())
    let origin = SameOriginCheck(publicURL: configuration.publicURL)
    router.middlewares.add(APIAccessMiddleware(authenticator: authenticator, origin: origin))
    var pipeline = IngestPipeline(store: store, entrySpansOnly: configuration.entrySpansOnly)
    pipeline.metrics = metrics
    let wake: @Sendable () -> Void = { enrichmentWorker?.wake() }
    pipeline.onCommit = {
        wake()
        deliveryWorker?.wake()
    }
    pipeline.traffic = traffic
    IntakeController<FaultlineRequestContext>(
        pipeline: pipeline,
        bodyReader: RequestBodyReader(maxBytes: configuration.maxBodyBytes),
        info: .current(port: configuration.port, maxBodyBytes: configuration.maxBodyBytes),
        intakeAPIKey: configuration.intakeAPIKey
    ).addRoutes(to: router)
    // With enrichment on, sample events carry sources too (read from present mirrors, never fetched on request).
    let repository: any IssueRepository = enrichmentWorker.map {
        EnrichingIssueRepository(store: store, sources: EventSourceReader(store: store, enricher: $0.enricher))
    } ?? store
    APIController<FaultlineRequestContext>(repository: repository).addRoutes(to: router)
    RepositoryController<FaultlineRequestContext>(store: store, allowList: configuration.repositoryAllowList, onChange: wake).addRoutes(to: router)
    AuthController<FaultlineRequestContext>(
        authenticator: authenticator,
        cookie: SessionCookie(secure: configuration.publicURL?.scheme?.lowercased() == "https", lifetime: authenticator.sessionPolicy.lifetime),
        origin: origin
    ).addRoutes(to: router)
    MonitorController<FaultlineRequestContext>(
        store: store, allowList: configuration.notifyAllowList, onQueued: { deliveryWorker?.wake() }
    ).addRoutes(to: router)
    HealthController<FaultlineRequestContext>(store: store).addRoutes(to: router)
    MetricsController<FaultlineRequestContext>(metrics: metrics, store: store, enrichmentEnabled: enrichmentWorker != nil).addRoutes(to: router)
    router.add(middleware: ExplorerRoutes<FaultlineRequestContext>())
    // Keep last: it answers 405 for a known path with another method, so it must know every route.
    router.add(middleware: MethodNotAllowedMiddleware<FaultlineRequestContext>(routes: router.routes))
    return router
}
