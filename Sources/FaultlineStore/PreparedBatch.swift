import FaultlineCore
import Foundation

/// The identity of an issue: fingerprint within service and env ('' when the events carry no env).
struct IssueKey: Hashable, Sendable {
    var fingerprint: String
    var service: String
    var env: String
}

/// A service version seen in traffic, error or not: what auto-resolution compares issues against.
public struct ServiceVersion: Sendable, Hashable, Codable {
    public var service: String
    public var env: String?
    public var version: String

    public init(service: String, env: String?, version: String) {
        self.service = service
        self.env = env
        self.version = version
    }
}

/// One ingest call's events, keyed and encoded by the caller's task so the writer only writes.
struct PreparedBatch: Sendable {
    struct Item: Sendable {
        var event: GroupedEvent
        var key: IssueKey
        var occurredMillis: Int64
        var host: String?
        var container: String?
        /// The event's own JSON (``EventJSON/encodeOwn(_:)``; its parts are found by the writer); nil when newer events of the same issue in this batch already take its share of the sample.
        var payload: Data?
        /// Identifies the event's stack part (computed here, off the writer, for the events that are stored).
        var stackDigest: StackDigest?
    }

    var items: [Item]
    var receivedMillis: Int64
    var versionsSeen: [ServiceVersion]

    static let hostKeys = ["host", "_dd.hostname", "host.name", "hostname"]
    static let containerKeys = ["container_id", "container.id", "docker.container.id", "k8s.pod.name", "kube_pod_name", "pod_name"]

    init(events: [GroupedEvent], receivedAt: Date, versionsSeen: [ServiceVersion], samplesPerRequest: Int) {
        let receivedMillis = StoreTime.millis(receivedAt)
        self.receivedMillis = receivedMillis
        self.versionsSeen = versionsSeen
        var items: [Item] = []
        items.reserveCapacity(events.count)
        var keptPerKey: [IssueKey: Int] = [:]
        // Walk newest (last) first so that only the events the sample will keep get encoded.
        for event in events.reversed() {
            let key = IssueKey(fingerprint: event.fingerprint.value, service: event.event.service, env: event.event.env ?? "")
            let kept = keptPerKey[key, default: 0]
            var payload: Data?
            var stackDigest: StackDigest?
            if kept < samplesPerRequest {
                keptPerKey[key] = kept + 1
                payload = EventJSON.encodeOwn(event.event)
                stackDigest = StackDigest(event)
            }
            items.append(Item(
                event: event,
                key: key,
                occurredMillis: StoreTime.occurredMillis(event.event.startNanos, receivedMillis: receivedMillis),
                host: Self.firstValue(event.event.hostTags, Self.hostKeys),
                container: Self.firstValue(event.event.containerTags, Self.containerKeys),
                payload: payload,
                stackDigest: stackDigest
            ))
        }
        items.reverse()
        self.items = items
    }

    private static func firstValue(_ tags: [String: String], _ keys: [String]) -> String? {
        for key in keys {
            if let value = tags[key], !value.isEmpty { return value }
        }
        return nil
    }
}
