import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP server on 127.0.0.1 that accepts every connection, reads what the client sends and never
/// answers; it counts the connections the client closed (tests only). Call `stop()` to end its thread.
public final class StallingServer: @unchecked Sendable {
    // @unchecked: `accepted` and `closedByClient` are read and written only under `lock`; the sockets are
    // touched only by the server thread.
    public let port: Int
    private let listener: LoopbackListener
    private let lock = NSLock()
    private var accepted = 0
    private var closedByClient = 0

    public init() throws {
        listener = try LoopbackListener()
        port = listener.port
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// Connections accepted so far.
    public var acceptedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return accepted
    }

    /// Connections the client closed (the server read end-of-file or a reset).
    public var closedByClientCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return closedByClient
    }

    /// Waits up to `timeout` for `count` connections to be closed by the client; returns whether they were.
    public func waitForClientClose(count: Int = 1, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if closedByClientCount >= count { return true }
            usleep(20_000)
        }
        return closedByClientCount >= count
    }

    /// Stops accepting, closes every connection and waits for the server thread to end.
    public func stop() {
        listener.stop()
    }

    private func serve() {
        var clients: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !listener.isStopping {
            var descriptors = [pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0)]
            descriptors += clients.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), 50) > 0 else { continue }
            if descriptors[0].revents != 0 {
                let client = accept(listener.descriptor, nil, nil)
                if client >= 0 {
                    clients.append(client)
                    lock.lock()
                    accepted += 1
                    lock.unlock()
                }
            }
            for entry in descriptors.dropFirst() where entry.revents != 0 {
                // Read and drop the request; end-of-file or an error means the client closed its end.
                let count = recv(entry.fd, &buffer, buffer.count, 0)
                if count <= 0 {
                    close(entry.fd)
                    clients.removeAll { $0 == entry.fd }
                    lock.lock()
                    closedByClient += 1
                    lock.unlock()
                }
            }
        }
        for client in clients { close(client) }
        listener.serverEnded()
    }
}
