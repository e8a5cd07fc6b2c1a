import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain-HTTP server on 127.0.0.1 that answers every request `401 Unauthorized` (Basic), as a Git host
/// does for a missing or rejected token, and records the requests that carried an `Authorization` header
/// (tests only). Call `stop()` to end its thread.
public final class UnauthorizedHTTPServer: @unchecked Sendable {
    // @unchecked: the counters are read and written only under `lock`; the sockets are
    // touched only by the server thread.
    public let port: Int
    private let listener: LoopbackListener
    private let lock = NSLock()
    private var requests = 0
    private var authorized = 0

    public init() throws {
        listener = try LoopbackListener()
        port = listener.port
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// Requests answered so far.
    public var requestCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    /// Requests that carried an `Authorization` header.
    public var authorizedRequestCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return authorized
    }

    /// Stops accepting and waits for the server thread to end.
    public func stop() {
        listener.stop()
    }

    private func serve() {
        var listening = pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0)
        while !listener.isStopping {
            guard poll(&listening, 1, 50) > 0 else { continue }
            let client = accept(listener.descriptor, nil, nil)
            guard client >= 0 else { continue }
            answer(client)
            close(client)
        }
        listener.serverEnded()
    }

    /// Reads one request head and answers 401.
    private func answer(_ client: Int32) {
        var head = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var waiting = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
        while head.count < 64 * 1024, !head.ends(with: [13, 10, 13, 10]) {
            guard poll(&waiting, 1, 2_000) > 0 else { return }
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            head += buffer[0..<count]
        }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        lock.lock()
        requests += 1
        if text.contains("\r\nauthorization:") { authorized += 1 }
        lock.unlock()
        let response = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        _ = Array(response.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
