import FaultlineTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to 127.0.0.1 with blocking reads that give up after a bound: for talking to the
/// server byte by byte (slow headers, stalled bodies, idle connections).
final class RawConnection: @unchecked Sendable {
    // @unchecked: the descriptor is used by one test at a time; every call blocks until it is done.
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw TestFailure("connect: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        Glibc.close(descriptor)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw TestFailure("send: \(String(cString: strerror(errno)))") }
    }

    /// What one read brought within `timeout`: bytes, end of stream (the server closed), or nothing yet.
    enum Read: Equatable {
        case bytes([UInt8])
        case closed
        case nothingYet
    }

    func read(timeout: Duration) async -> Read {
        let descriptor = self.descriptor
        return await ChildProcess.offPool {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
            guard poll(&poller, 1, milliseconds) > 0 else { return .nothingYet }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            // A reset counts as closed too: the server dropped the connection.
            if count <= 0 { return .closed }
            return .bytes(Array(buffer.prefix(count)))
        }
    }

    /// Everything the server sends until it closes the connection; nil if it is still open after `timeout`.
    func readUntilClosed(timeout: Duration) async -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        while ContinuousClock.now < deadline {
            switch await read(timeout: deadline - ContinuousClock.now) {
            case .bytes(let bytes): received += bytes
            case .closed: return received
            case .nothingYet: return nil
            }
        }
        return nil
    }

    /// Reads until the received text contains `marker` (or the connection closes, or `timeout` passes).
    func readUntil(_ marker: String, timeout: Duration) async -> String {
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        while ContinuousClock.now < deadline, !String(decoding: received, as: UTF8.self).contains(marker) {
            guard case .bytes(let bytes) = await read(timeout: deadline - ContinuousClock.now) else { break }
            received += bytes
        }
        return String(decoding: received, as: UTF8.self)
    }
}
