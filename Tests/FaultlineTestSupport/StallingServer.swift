import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP server on 127.0.0.1 that accepts every connection, reads what the client sends and never
/// answers; it counts the connections the client closed (tests only). Call `stop()` to end its thread.
public final class StallingServer: @unchecked Sendable {
    // @unchecked: `accepted`, `closedByClient` and `stopping` are read and written only under `lock`;
    // the sockets are touched only by the server thread, except the listener's shutdown in `stop()`.
    public let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var accepted = 0
    private var closedByClient = 0
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw FixtureError(message: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else {
            close(descriptor)
            throw FixtureError(message: "bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
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
        lock.lock()
        let first = !stopping
        stopping = true
        lock.unlock()
        guard first else { return }
        finished.wait()
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func serve() {
        var clients: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !isStopping {
            var descriptors = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            descriptors += clients.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), 50) > 0 else { continue }
            if descriptors[0].revents != 0 {
                let client = accept(listener, nil, nil)
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
        close(listener)
        finished.signal()
    }
}
