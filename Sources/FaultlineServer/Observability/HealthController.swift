import FaultlineStore
import Foundation
import Hummingbird
import NIOCore

/// `GET /healthz` (the process answers) and `GET /readyz` (the store is writable and its migrations are
/// applied), for load balancers and orchestrators. Both answer JSON and say nothing of the data.
struct HealthController<Context: RequestContext>: Sendable {
    let store: IssueStore

    func addRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ in
            try Self.json(HealthResponse(status: "ok"), status: .ok)
        }
        router.get("/readyz") { _, _ in
            let readiness = await store.readiness()
            let response = ReadinessResponse(
                status: readiness.isReady ? "ready" : "notReady",
                checks: .init(storeWritable: readiness.writable, migrationsApplied: readiness.migrationsApplied)
            )
            return try Self.json(response, status: readiness.isReady ? .ok : .serviceUnavailable)
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder.api.encode(value)))
        )
    }
}

/// The body of `GET /healthz`.
public struct HealthResponse: Codable, Sendable, Hashable {
    /// Always `ok`: an answer at all is the signal.
    public var status: String

    public init(status: String) {
        self.status = status
    }
}

/// The body of `GET /readyz`.
public struct ReadinessResponse: Codable, Sendable, Hashable {
    /// The checks behind ``status``.
    public struct Checks: Codable, Sendable, Hashable {
        public var storeWritable: Bool
        public var migrationsApplied: Bool

        public init(storeWritable: Bool, migrationsApplied: Bool) {
            self.storeWritable = storeWritable
            self.migrationsApplied = migrationsApplied
        }
    }

    /// `ready` (200) or `notReady` (503).
    public var status: String
    public var checks: Checks

    public init(status: String, checks: Checks) {
        self.status = status
        self.checks = checks
    }
}
