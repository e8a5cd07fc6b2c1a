internal import CLibgit2
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The TCP socket under libgit2's network transports (git://, http://, https:// through the TLS stream
/// that wraps it, ssh://), registered in place of libgit2's own with `git_stream_register`.
///
/// libgit2 1.5 blocks in `connect`/`recv` with no timeout, so a server that accepts and then says nothing
/// holds the thread forever (no progress callback ever fires to stop it). Here every wait is a `poll` in
/// short slices, bounded by the running transfer's deadline and checking its cancellation, so the transfer
/// fails at its deadline and libgit2 closes the socket. Used on one thread only, like the transfer.
/// libssh2 reads and writes the descriptor itself for SSH: `SocketWatchdog` shuts it down at the deadline.
final class DeadlineSocketStream {
    /// Longest single `poll`, so a cancellation from another thread is seen promptly.
    private static let sliceMilliseconds: Int32 = 200

    private let host: String
    private let port: String
    /// The transfer that opened the stream; nil outside a transfer (no deadline, waits like libgit2's socket).
    private let transfer: TransferState?
    private(set) var descriptor: Int32 = -1

    private init(host: String, port: String, transfer: TransferState?) {
        self.host = host
        self.port = port
        self.transfer = transfer
    }

    deinit {
        closeSocket()
    }

    /// Registers the stream for every standard (non-TLS) socket libgit2 opens; called once, after `git_libgit2_init`.
    static func register() {
        var registration = git_stream_registration()
        registration.version = Int32(GIT_STREAM_VERSION)
        registration.`init` = { out, host, port in
            guard let out, let host, let port else { return -1 }
            let owner = DeadlineSocketStream(host: String(cString: host), port: String(cString: port), transfer: TransferScope.current)
            let stream = UnsafeMutablePointer<faultline_socket_stream>.allocate(capacity: 1)
            stream.initialize(to: faultline_socket_stream())
            stream.pointee.parent.version = Int32(GIT_STREAM_VERSION)
            stream.pointee.host = strdup(host)
            stream.pointee.port = strdup(port)
            stream.pointee.s = -1
            stream.pointee.parent.connect = { stream in
                guard let owner = DeadlineSocketStream.owner(of: stream) else { return -1 }
                let result = owner.connectSocket()
                DeadlineSocketStream.publish(owner.descriptor, in: stream)
                return result
            }
            stream.pointee.parent.read = { stream, buffer, count in
                guard let buffer else { return -1 }
                return DeadlineSocketStream.owner(of: stream)?.receive(into: buffer, count: count) ?? -1
            }
            stream.pointee.parent.write = { stream, data, count, _ in
                guard let data else { return -1 }
                return DeadlineSocketStream.owner(of: stream)?.send(data, count: count) ?? -1
            }
            stream.pointee.parent.close = { stream in
                DeadlineSocketStream.owner(of: stream)?.closeSocket()
                DeadlineSocketStream.publish(-1, in: stream)
                return 0
            }
            stream.pointee.parent.free = { stream in
                guard let stream else { return }
                let own = UnsafeMutableRawPointer(stream).assumingMemoryBound(to: faultline_socket_stream.self)
                if let box = own.pointee.box {
                    Unmanaged<DeadlineSocketStream>.fromOpaque(box).release()
                }
                free(own.pointee.host)
                free(own.pointee.port)
                own.deinitialize(count: 1)
                own.deallocate()
            }
            stream.pointee.box = Unmanaged.passRetained(owner).toOpaque()
            out.pointee = UnsafeMutableRawPointer(stream).assumingMemoryBound(to: git_stream.self)
            return 0
        }
        registration.wrap = nil
        _ = git_stream_register(GIT_STREAM_STANDARD, &registration)
    }

    /// Keeps the struct's `s` equal to the open descriptor, for the SSH transport that reads it.
    private static func publish(_ descriptor: Int32, in stream: UnsafeMutablePointer<git_stream>?) {
        guard let stream else { return }
        UnsafeMutableRawPointer(stream).assumingMemoryBound(to: faultline_socket_stream.self).pointee.s = descriptor
    }

    private static func owner(of stream: UnsafeMutablePointer<git_stream>?) -> DeadlineSocketStream? {
        guard let stream else { return nil }
        let own = UnsafeMutableRawPointer(stream).assumingMemoryBound(to: faultline_socket_stream.self)
        guard let box = own.pointee.box else { return nil }
        return Unmanaged<DeadlineSocketStream>.fromOpaque(box).takeUnretainedValue()
    }

    // MARK: - Socket

    private func connectSocket() -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var addresses: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, port, &hints, &addresses)
        guard resolved == 0, let addresses else {
            return fail(GIT_ERROR_NET, "failed to resolve address for \(host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(addresses) }
        var lastError: Int32 = 0
        var next: UnsafeMutablePointer<addrinfo>? = addresses
        while let address = next {
            next = address.pointee.ai_next
            let socketDescriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.ai_protocol)
            guard socketDescriptor >= 0 else {
                lastError = errno
                continue
            }
            _ = fcntl(socketDescriptor, F_SETFL, fcntl(socketDescriptor, F_GETFL) | O_NONBLOCK)
            descriptor = socketDescriptor
            if Glibc.connect(socketDescriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                return connected()
            }
            lastError = errno
            if lastError == EINPROGRESS {
                switch wait(for: Int16(POLLOUT)) {
                case .ready:
                    var socketError: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    if getsockopt(socketDescriptor, SOL_SOCKET, SO_ERROR, &socketError, &length) == 0, socketError == 0 {
                        return connected()
                    }
                    lastError = socketError
                case .stopped(let reason):
                    closeSocket()
                    return fail(GIT_ERROR_NET, "failed to connect to \(host): \(reason)")
                case .failed(let error):
                    lastError = error
                }
            }
            closeSocket()
        }
        return fail(GIT_ERROR_OS, "failed to connect to \(host): \(String(cString: strerror(lastError)))")
    }

    private func receive(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        while true {
            let received = recv(descriptor, buffer, count, 0)
            if received >= 0 { return received }
            let error = errno
            if error == EINTR { continue }
            guard error == EAGAIN || error == EWOULDBLOCK else {
                return Int(fail(GIT_ERROR_NET, "error receiving data from \(host): \(String(cString: strerror(error)))"))
            }
            switch wait(for: Int16(POLLIN)) {
            case .ready: continue
            case .stopped(let reason): return Int(fail(GIT_ERROR_NET, "no data from \(host):\(port): \(reason)"))
            case .failed(let error): return Int(fail(GIT_ERROR_NET, "error receiving data from \(host): \(String(cString: strerror(error)))"))
            }
        }
    }

    private func send(_ data: UnsafePointer<CChar>, count: Int) -> Int {
        while true {
            let sent = Glibc.send(descriptor, data, count, Int32(MSG_NOSIGNAL))
            if sent >= 0 { return sent }
            let error = errno
            if error == EINTR { continue }
            guard error == EAGAIN || error == EWOULDBLOCK else {
                return Int(fail(GIT_ERROR_NET, "error sending data to \(host): \(String(cString: strerror(error)))"))
            }
            switch wait(for: Int16(POLLOUT)) {
            case .ready: continue
            case .stopped(let reason): return Int(fail(GIT_ERROR_NET, "could not send to \(host):\(port): \(reason)"))
            case .failed(let error): return Int(fail(GIT_ERROR_NET, "error sending data to \(host): \(String(cString: strerror(error)))"))
            }
        }
    }

    private func closeSocket() {
        guard descriptor >= 0 else { return }
        SocketWatchdog.shared.close(descriptor)
        descriptor = -1
    }

    /// The socket is connected: from now on the watchdog shuts it down at the deadline, for readers other than us.
    private func connected() -> Int32 {
        SocketWatchdog.shared.watch(descriptor, deadline: transfer?.options.deadline, cancellation: transfer?.options.cancellation)
        return 0
    }

    private enum WaitOutcome {
        case ready
        /// The transfer's deadline passed or it was cancelled (the reason is recorded on the transfer).
        case stopped(String)
        case failed(Int32)
    }

    /// Waits until the socket is ready for `events`, the transfer's deadline passes, or it is cancelled.
    private func wait(for events: Int16) -> WaitOutcome {
        while true {
            if let transfer, transfer.checkTimeAndCancellation() != 0 {
                return .stopped(transfer.abortReason == .timedOut ? "the transfer's deadline passed" : "the transfer was cancelled")
            }
            var slice = Self.sliceMilliseconds
            if let deadline = transfer?.options.deadline {
                let remaining = ContinuousClock.now.duration(to: deadline)
                let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
                slice = Int32(max(1, min(Int64(slice), milliseconds + 1)))
            }
            var request = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&request, 1, slice)
            if ready > 0 { return .ready }
            if ready < 0, errno != EINTR { return .failed(errno) }
        }
    }

    /// Sets libgit2's last error and returns -1, as a stream callback must.
    private func fail(_ errorClass: git_error_t, _ message: String) -> Int32 {
        git_error_set_str(Int32(errorClass.rawValue), message)
        return -1
    }
}
