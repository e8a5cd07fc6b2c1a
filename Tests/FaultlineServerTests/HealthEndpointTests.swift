import FaultlineServer
import FaultlineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/healthz` answers while the process runs; `/readyz` answers 200 only while the store is writable and migrated.
@Suite("Health endpoints")
struct HealthEndpointTests {
    static func readiness(_ client: some TestClientProtocol) async throws -> (HTTPResponse.Status, ReadinessResponse) {
        try await client.execute(uri: "/readyz", method: .get) { response in
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            return (response.status, try JSONDecoder().decode(ReadinessResponse.self, from: Data(buffer: response.body)))
        }
    }

    @Test("a running server is healthy and ready")
    func healthyAndReady() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode(HealthResponse.self, from: Data(buffer: response.body))
                #expect(body == HealthResponse(status: "ok"))
            }
            let (status, body) = try await Self.readiness(client)
            #expect(status == .ok)
            #expect(body == ReadinessResponse(status: "ready", checks: .init(storeWritable: true, migrationsApplied: true)))
        }
    }

    @Test("a read-only store is migrated but not writable: 503")
    func readOnlyStoreIsNotReady() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = TestServer.configuration(dataDirectory: directory)
        _ = try StoreOpener.open(dataDirectory: directory.path)
        let readOnly = try IssueStore(configuration: StoreConfiguration(dataDirectory: directory, readOnly: true))
        let app = Application(router: buildRouter(configuration, store: readOnly))
        try await app.test(.router) { client in
            let (status, body) = try await Self.readiness(client)
            #expect(status == .serviceUnavailable)
            #expect(body == ReadinessResponse(status: "notReady", checks: .init(storeWritable: false, migrationsApplied: true)))
            // The process itself is fine.
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("a store whose database is closed is not ready, and the server still answers")
    func closedStoreIsNotReady() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = TestServer.configuration(dataDirectory: directory)
        let store = try StoreOpener.open(dataDirectory: directory.path)
        let app = Application(router: buildRouter(configuration, store: store))
        try await app.test(.router) { client in
            #expect(try await Self.readiness(client).0 == .ok)
            try store.close()
            let (status, body) = try await Self.readiness(client)
            #expect(status == .serviceUnavailable)
            #expect(body == ReadinessResponse(status: "notReady", checks: .init(storeWritable: false, migrationsApplied: false)))
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .ok) }
        }
    }
}
