import AsyncHTTPClient
import FaultlineCore
import FaultlineStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Sends the outbox's notifications and evaluates threshold monitors, beside the HTTP server.
///
/// Notifications are claimed with a lease (so several servers, or a restart after a crash, never send
/// one that another worker holds), sent with a timeout, and every attempt is recorded. A 2xx is final;
/// 410 disables the monitor's channel; anything else is retried on the ``RetrySchedule`` with the same
/// notification id and a fresh `webhook-timestamp`. Woken by ``wake()`` after ingests, and on a timer.
public final class DeliveryWorker: Service, Sendable {
    public struct Settings: Sendable {
        /// Look for due notifications at least this often.
        public var pollInterval: Duration
        /// Evaluate threshold monitors this often (at most 30 s).
        public var thresholdInterval: Duration
        public var retrySchedule: RetrySchedule
        /// Per attempt: connect and answer (seconds).
        public var timeout: TimeInterval
        /// How long a notification waits for its issue's enrichment before it goes without code (seconds).
        public var enrichmentWait: TimeInterval
        /// Notifications being sent (or waiting for enrichment) at once.
        public var maxInFlight: Int
        /// Where PagerDuty events go unless a monitor names its own URL.
        public var pagerDutyEventsURL: String

        public static let defaultPagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"

        public init(
            pollInterval: Duration = .seconds(1), thresholdInterval: Duration = .seconds(30), retrySchedule: RetrySchedule = .standard,
            timeout: TimeInterval = 10, enrichmentWait: TimeInterval = 10, maxInFlight: Int = 64,
            pagerDutyEventsURL: String = Settings.defaultPagerDutyEventsURL
        ) {
            self.pollInterval = pollInterval
            self.thresholdInterval = min(thresholdInterval, .seconds(30))
            self.retrySchedule = retrySchedule
            self.timeout = max(0.1, timeout)
            self.enrichmentWait = max(0, enrichmentWait)
            self.maxInFlight = max(1, maxInFlight)
            self.pagerDutyEventsURL = pagerDutyEventsURL
        }

        /// How long a claimed notification stays ours: the enrichment wait and one attempt, with room to record it.
        var lease: TimeInterval { enrichmentWait + timeout + 5 }
    }

    public let store: IssueStore
    public let settings: Settings
    private let facts: any NotificationFactsSource
    private let allowList: NotifyAllowList
    private let logger: Logger
    private let owner = "worker-" + UUID().uuidString
    private let inFlight = NIOLockedValueBox(0)
    private let wakes: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation

    public init(
        store: IssueStore, facts: any NotificationFactsSource, allowList: NotifyAllowList = NotifyAllowList(), settings: Settings = Settings(),
        logger: Logger = Logger(label: "faultline.monitors")
    ) {
        self.store = store
        self.facts = facts
        self.allowList = allowList
        self.settings = settings
        self.logger = logger
        (wakes, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass soon (after an ingest commits, a monitor is tested). Never blocks.
    public func wake() {
        wakeContinuation.yield()
    }

    public func run() async throws {
        let clients = HTTPClients(timeout: settings.timeout)
        let continuation = wakeContinuation
        let poll = settings.pollInterval
        let thresholds = settings.thresholdInterval
        let timer = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: poll)
                continuation.yield()
            }
        }
        let evaluator = Task {
            while !Task.isCancelled {
                await self.evaluateThresholds()
                try? await Task.sleep(for: thresholds)
            }
        }
        continuation.yield()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await _ in self.wakes {
                    for notification in await self.claim() {
                        group.addTask {
                            await self.deliver(notification, clients: clients)
                            self.inFlight.withLockedValue { $0 -= 1 }
                            self.wake()
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
        timer.cancel()
        evaluator.cancel()
        await clients.shutdown()
    }

    /// Claims as many due notifications as there is room for.
    private func claim() async -> [OutboxNotification] {
        let room = settings.maxInFlight - inFlight.withLockedValue { $0 }
        guard room > 0 else { return [] }
        do {
            let claimed = try await store.claimNotifications(owner: owner, limit: room, lease: settings.lease)
            inFlight.withLockedValue { $0 += claimed.count }
            return claimed
        } catch {
            logger.error("Claiming notifications failed", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// Threshold monitors, and the delivery log's retention (as old as events are kept), on one timer.
    private func evaluateThresholds() async {
        do {
            if try await store.evaluateThresholds() > 0 { wake() }
            try await store.pruneNotifications()
        } catch {
            logger.error("Evaluating threshold monitors failed", metadata: ["error": "\(error)"])
        }
    }

    /// One attempt at one notification, recorded whatever happens.
    func deliver(_ notification: OutboxNotification, clients: HTTPClients) async {
        var metadata: Logger.Metadata = [
            "notification.id": "\(notification.notificationID)", "monitor.id": "\(notification.monitorID)",
            "notification.type": "\(notification.event.rawValue)",
        ]
        if let issueID = notification.issueID { metadata["issue.id"] = "\(issueID)" }
        do {
            guard let monitor = try await store.monitor(id: notification.monitorID) else {
                try await record(notification, statusCode: nil, error: "the monitor was deleted", latency: 0, result: .failed)
                return
            }
            if monitor.disabledAt != nil, notification.event != .test {
                try await record(notification, statusCode: nil, error: "the channel is disabled: \(monitor.disabledReason ?? "")", latency: 0, result: .failed)
                return
            }
            let facts = try await waitForFacts(notification)
            let message = try NotificationMessage.render(notification, monitor: monitor, facts: facts, pagerDutyEventsURL: settings.pagerDutyEventsURL)
            let destination: NotifyAllowList.Destination
            do throws(MonitorsError) {
                destination = try await allowList.resolve(message.url)
            } catch {
                let result: DeliveryResult = error.kind == .destinationUnreachable ? retryResult(notification) : .failed
                try await record(notification, statusCode: nil, error: error.reason, latency: 0, result: result)
                return
            }
            let (status, failure, latency) = await send(message, notification: notification, to: destination, clients: clients)
            let result: DeliveryResult
            switch status {
            case .some(200...299): result = .delivered
            case .some(410): result = .channelGone(reason: "\(monitor.channel.type.rawValue) answered 410 Gone at \(Date().formatted(.iso8601))")
            default: result = retryResult(notification)
            }
            try await record(notification, statusCode: status, error: failure, latency: latency, result: result)
            metadata["http.status"] = "\(status.map(String.init) ?? "none")"
            if case .delivered = result {
                logger.debug("Notification delivered", metadata: metadata)
            } else {
                logger.info("Notification not delivered", metadata: metadata)
            }
        } catch {
            // The store failed: the lease runs out and the notification is tried again.
            metadata["error"] = "\(error)"
            logger.error("Delivering a notification failed", metadata: metadata)
        }
    }

    private func retryResult(_ notification: OutboxNotification) -> DeliveryResult {
        settings.retrySchedule.nextAttempt(after: notification.attempts + 1, now: Date()).map { .retry(at: $0) } ?? .failed
    }

    private func record(_ notification: OutboxNotification, statusCode: Int?, error: String?, latency: TimeInterval, result: DeliveryResult) async throws {
        try await store.recordDelivery(notification, statusCode: statusCode, error: error, latency: latency, result: result)
    }

    /// The issue's facts once its enrichment is in, or when `enrichmentWait` after the notification was made has passed.
    private func waitForFacts(_ notification: OutboxNotification) async throws -> NotificationFacts? {
        guard let issueID = notification.issueID else { return nil }
        let deadline = notification.createdAt.addingTimeInterval(settings.enrichmentWait)
        while true {
            let current = try await facts.facts(issueID: issueID)
            guard let current, current.enrichmentPending, notification.event != .resolved, Date() < deadline else { return current }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// POSTs the message; the status (nil without an answer), why it failed, and how long it took.
    private func send(
        _ message: NotificationMessage, notification: OutboxNotification, to destination: NotifyAllowList.Destination, clients: HTTPClients
    ) async -> (Int?, String?, TimeInterval) {
        var request = HTTPClientRequest(url: destination.url.absoluteString)
        request.method = .POST
        for (name, value) in message.headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "user-agent", value: "Faultline-Monitors/1")
        if message.signingSecret != nil || notification.event != .resolved {
            let timestamp = Int64(Date().timeIntervalSince1970)
            request.headers.add(name: "webhook-id", value: notification.notificationID)
            request.headers.add(name: "webhook-timestamp", value: String(timestamp))
            if let secret = message.signingSecret {
                request.headers.add(name: "webhook-signature", value: WebhookSignature(secret: secret).header(id: notification.notificationID, timestamp: timestamp, body: message.body))
            }
        }
        request.body = .bytes(ByteBuffer(bytes: message.body))
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> TimeInterval {
            let duration = clock.now - start
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        do {
            let client = await clients.client(host: destination.host, address: destination.connectAddress)
            let response = try await client.execute(request, timeout: .milliseconds(Int64(settings.timeout * 1000)))
            // Read (and drop) a bounded answer so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            return (status, (200...299).contains(status) ? nil : "answered \(status)", elapsed())
        } catch {
            return (nil, Self.describe(error), elapsed())
        }
    }

    /// A failure without URLs or payloads.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout { return "timed out" }
            if error == .remoteConnectionClosed { return "the receiver closed the connection" }
            return "HTTP client error: \(error)"
        }
        if error is ChannelError { return "connection failed" }
        return "connection failed: \(type(of: error))"
    }
}

/// HTTP clients: one shared, and one per (host → checked address) so the address checked is the one
/// connected to (``NotifyAllowList``). Redirects are never followed: they could lead anywhere.
actor HTTPClients {
    private let configuration: HTTPClient.Configuration
    private var clients: [String: HTTPClient] = [:]

    init(timeout: TimeInterval) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(timeout * 1000)), read: .milliseconds(Int64(timeout * 1000)))
        )
        configuration.connectionPool.idleTimeout = .seconds(30)
        self.configuration = configuration
    }

    func client(host: String, address: String?) -> HTTPClient {
        let key = address.map { "\(host)→\($0)" } ?? ""
        if let client = clients[key] { return client }
        var configuration = configuration
        if let address { configuration.dnsOverride = [host: address] }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        clients[key] = client
        return client
    }

    func shutdown() async {
        for client in clients.values {
            try? await client.shutdown()
        }
        clients = [:]
    }
}
