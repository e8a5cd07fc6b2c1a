import FaultlineMonitors
import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/api/v1/monitors`: create, list, change, mute, test and delete monitors, and read their delivery log;
/// `/api/v1/issues/{id}/notifications`: which monitors notified about an issue.
struct MonitorController<Context: RequestContext>: Sendable {
    let store: IssueStore
    let allowList: NotifyAllowList
    /// Wakes the delivery worker after a test is queued.
    let onQueued: @Sendable () -> Void

    func addRoutes(to router: Router<Context>) {
        // Access (read for GET, write otherwise) is checked by the router-wide APIAccessMiddleware.
        let api = router.group("/api/v1")
        api.get("monitors") { _, _ in
            try APIController<Context>.json(MonitorListResponse(monitors: try await MonitorResponse.all(from: store)))
        }
        api.post("monitors") { request, _ in
            var request = request
            let draft = try await Self.draft(&request)
            let monitor = try Self.mapping { () throws(MonitorsError) in try draft.monitor(allowList: allowList) }
            let stored = try await store.createMonitor(monitor)
            var response = try APIController<Context>.json(MonitorEnvelope(monitor: MonitorResponse(stored)))
            response.status = .created
            return response
        }
        api.get("monitors/:id") { _, context in
            let monitor = try await Self.existing(context, store)
            return try APIController<Context>.json(MonitorEnvelope(monitor: try await MonitorResponse.one(monitor, from: store)))
        }
        api.patch("monitors/:id") { request, context in
            let id = try Self.monitorID(context)
            var request = request
            let draft = try await Self.draft(&request)
            guard var monitor = try await store.monitor(id: id) else { throw APIError.notFound("no monitor \(id)") }
            try Self.mapping { () throws(MonitorsError) in try draft.apply(to: &monitor, allowList: allowList) }
            guard let updated = try await store.updateMonitor(monitor) else { throw APIError.notFound("no monitor \(id)") }
            return try APIController<Context>.json(MonitorEnvelope(monitor: try await MonitorResponse.one(updated, from: store)))
        }
        api.delete("monitors/:id") { _, context in
            let id = try Self.monitorID(context)
            guard try await store.deleteMonitor(id: id) else { throw APIError.notFound("no monitor \(id)") }
            return Response(status: .noContent)
        }
        api.post("monitors/:id/test") { _, context in
            let id = try Self.monitorID(context)
            guard let queued = try await store.enqueueTestNotification(monitorID: id) else { throw APIError.notFound("no monitor \(id)") }
            onQueued()
            var response = try APIController<Context>.json(
                TestNotificationResponse(notification: .init(id: queued.notificationID, type: queued.event.rawValue, issueID: queued.issueID)))
            response.status = .accepted
            return response
        }
        api.get("monitors/:id/deliveries") { request, context in
            let monitor = try await Self.existing(context, store)
            let limit = try IssueListRequest.limit(APIController<Context>.queryParameters(request)["limit"])
            return try APIController<Context>.json(DeliveryListResponse(deliveries: try await store.deliveries(monitorID: monitor.id, limit: limit)))
        }
        api.get("issues/:id/notifications") { _, context in
            let id = try APIController<Context>.issueID(context)
            guard try await store.issue(id: id) != nil else { throw APIError.notFound("no issue \(id)") }
            return try APIController<Context>.json(IssueNotificationListResponse(notifications: try await store.notifications(issueID: id)))
        }
    }

    static func monitorID(_ context: Context) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.badRequest("monitor id must be a positive integer")
        }
        return id
    }

    static func existing(_ context: Context, _ store: IssueStore) async throws -> Monitor {
        let id = try monitorID(context)
        guard let monitor = try await store.monitor(id: id) else { throw APIError.notFound("no monitor \(id)") }
        return monitor
    }

    static func draft(_ request: inout Request) async throws -> MonitorDraft {
        if let type = ContentType.of(request), !ContentType.jsonTypes.contains(type) {
            throw APIError(.unsupportedMediaType, "body must be application/json")
        }
        let body = try await request.collectBody(upTo: 64 * 1024)
        return try mapping { () throws(MonitorsError) in try MonitorDraft(json: Data(buffer: body)) }
    }

    /// A monitor definition error as a 400 naming the field.
    static func mapping<T>(_ body: () throws(MonitorsError) -> T) throws -> T {
        do throws(MonitorsError) {
            return try body()
        } catch {
            throw APIError.badRequest(error.reason)
        }
    }
}
