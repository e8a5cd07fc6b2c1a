import FaultlineServer
import Foundation
import Testing

/// Slow and idle clients over real sockets against the real server: idle connections, slow headers and
/// stalled bodies are closed after their (here short) timeouts, and the connection cap holds the rest back,
/// while the server keeps answering others.
@Suite("Connection limits")
struct ConnectionLimitTests {
    /// Far longer than any timeout configured here: only a bound against a hung test.
    static let patience: Duration = .seconds(20)
    static let healthRequest = "GET /healthz HTTP/1.1\r\nHost: faultline\r\n\r\n"

    static func server(_ directory: URL, _ configure: @escaping (inout ServerConfiguration) -> Void) async throws -> LiveServer {
        try await LiveServer.start(TestServer.configuration(dataDirectory: directory, configure))
    }

    /// One whole request on a new connection; returns the answer's text.
    static func health(port: Int) async throws -> String {
        let connection = try RawConnection(port: port)
        try connection.send(healthRequest)
        return await connection.readUntil(#"{"status":"ok"}"#, timeout: patience)
    }

    @Test("the defaults: idle connections closed after 60 s, headers within 20 s, bodies within 60 s, 512 connections")
    func defaults() {
        let configuration = ServerConfiguration()
        #expect(configuration.idleTimeout == .seconds(60))
        #expect(configuration.headerTimeout == .seconds(20))
        #expect(configuration.bodyTimeout == .seconds(60))
        #expect(configuration.maxConnections == 512)
    }

    @Test("a slow-header connection is answered 408 and closed; the server answers others meanwhile and after")
    func slowHeaders() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await Self.server(directory) { $0.headerTimeout = .milliseconds(300) }
        defer { Task { await server.stop() } }

        let slow = try RawConnection(port: server.port)
        try slow.send("GET /api/v1/issues HTTP/1.1\r\nHost: faultline\r\nX-Slow: ")
        // Others are served while the slow one trickles.
        #expect(try await Self.health(port: server.port).contains("HTTP/1.1 200"))
        try slow.send("a")
        let answer = try #require(await slow.readUntilClosed(timeout: Self.patience), "the slow connection stayed open")
        let text = String(decoding: answer, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(text.hasSuffix(#"{"error":"request headers not received in time"}"#))
        #expect(try await Self.health(port: server.port).contains("HTTP/1.1 200"))
    }

    @Test("a connection that stalls in its body is closed")
    func stalledBody() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await Self.server(directory) { $0.bodyTimeout = .milliseconds(300) }
        defer { Task { await server.stop() } }

        let slow = try RawConnection(port: server.port)
        try slow.send("PUT /v0.4/traces HTTP/1.1\r\nHost: faultline\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[[")
        #expect(await slow.readUntilClosed(timeout: Self.patience) != nil, "the stalled upload stayed open")
        #expect(try await Self.health(port: server.port).contains("HTTP/1.1 200"))
    }

    @Test("an idle connection is closed, before its first request and after a finished one")
    func idleConnections() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await Self.server(directory) { $0.idleTimeout = .milliseconds(300) }
        defer { Task { await server.stop() } }

        let silent = try RawConnection(port: server.port)
        #expect(await silent.readUntilClosed(timeout: Self.patience) == [], "a connection that never sent a byte stayed open")

        let kept = try RawConnection(port: server.port)
        try kept.send(Self.healthRequest)
        #expect(await kept.readUntil(#"{"status":"ok"}"#, timeout: Self.patience).contains("HTTP/1.1 200"))
        #expect(await kept.readUntilClosed(timeout: Self.patience) != nil, "a kept-alive idle connection stayed open")
    }

    @Test("beyond max-connections new connections wait until one closes, then are answered")
    func connectionCap() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await Self.server(directory) { $0.maxConnections = 2 }
        defer { Task { await server.stop() } }

        // Two kept-alive connections, each answered once: both are accepted and held open.
        let first = try RawConnection(port: server.port)
        let second = try RawConnection(port: server.port)
        for connection in [first, second] {
            try connection.send(Self.healthRequest)
            #expect(await connection.readUntil(#"{"status":"ok"}"#, timeout: Self.patience).contains("HTTP/1.1 200"))
        }
        // A third connects (the kernel's backlog takes it) but is not served while both are open.
        let third = try RawConnection(port: server.port)
        try third.send(Self.healthRequest)
        #expect(await third.read(timeout: .milliseconds(500)) == .nothingYet)
        // Once one closes, the third is accepted and answered.
        _ = consume first
        #expect(await third.readUntil(#"{"status":"ok"}"#, timeout: Self.patience).contains("HTTP/1.1 200"))
        try second.send(Self.healthRequest)
        #expect(await second.readUntil(#"{"status":"ok"}"#, timeout: Self.patience).contains("HTTP/1.1 200"))
    }
}
