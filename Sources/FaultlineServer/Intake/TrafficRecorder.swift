import FaultlineCore
import FaultlineStore
import Foundation
import Logging
import ServiceLifecycle

/// Counts every service entry span intake sees (error or not) per (service, env, version) and hour,
/// in memory, and adds the counts to the store in one write per flush — never a write per span or
/// per payload. Run as a service beside the server: it flushes on a timer and once more at shutdown.
public actor TrafficRecorder: Service {
    private let store: IssueStore
    private let interval: Duration
    private let logger: Logger
    private var pending: [TrafficCount.Key: TrafficCount] = [:]

    /// A recorder flushing every `interval`.
    public init(store: IssueStore, interval: Duration = .seconds(2), logger: Logger = Logger(label: "faultline.traffic")) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    /// Adds one payload's entry spans to the counts of the next flush.
    public func add(_ sightings: [EntrySpanSighting], receivedAt: Date = Date()) {
        merge(TrafficCount.aggregate(sightings, receivedAt: receivedAt))
    }

    private func merge(_ counts: [TrafficCount]) {
        for count in counts {
            if pending[count.key] == nil {
                pending[count.key] = count
            } else {
                pending[count.key]?.merge(count)
            }
        }
    }

    /// Writes what was counted since the last flush; kept for the next one if the write fails.
    public func flush() async {
        guard !pending.isEmpty else { return }
        let counts = Array(pending.values)
        pending = [:]
        do {
            try await store.recordTraffic(counts)
        } catch {
            logger.error("Recording service traffic failed; kept for the next flush", metadata: ["error": "\(error)"])
            merge(counts)
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: interval)
                await flush()
            }
        } onGracefulShutdown: {}
        await flush()
    }
}
