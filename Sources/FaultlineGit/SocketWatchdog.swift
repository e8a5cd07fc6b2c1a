import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Shuts down, from a timer, the sockets of transfers whose deadline passed or that were cancelled.
///
/// `DeadlineSocketStream` bounds its own waits, but libssh2 reads and writes the descriptor itself
/// (libgit2's SSH transport hands it over) and would wait forever on a silent server; `shutdown` wakes
/// any such wait with end-of-file, and the transfer fails. Descriptors are closed under the same lock,
/// so a descriptor number reused after `close` is never shut down by mistake.
final class SocketWatchdog: @unchecked Sendable {
    // @unchecked: `watched` and `timer` are read and written only under `lock`.
    static let shared = SocketWatchdog()

    private struct Watch {
        var deadline: ContinuousClock.Instant?
        var cancellation: GitCancellation?
    }

    private let lock = NSLock()
    private var watched: [Int32: Watch] = [:]
    private var timer: DispatchSourceTimer?

    /// Watches an open descriptor; a transfer with neither deadline nor cancellation is not watched.
    func watch(_ descriptor: Int32, deadline: ContinuousClock.Instant?, cancellation: GitCancellation?) {
        guard deadline != nil || cancellation != nil else { return }
        lock.lock()
        defer { lock.unlock() }
        watched[descriptor] = Watch(deadline: deadline, cancellation: cancellation)
        if timer == nil {
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "faultline.git.socket-watchdog", qos: .utility))
            source.schedule(deadline: .now() + .milliseconds(200), repeating: .milliseconds(200), leeway: .milliseconds(50))
            source.setEventHandler { [weak self] in self?.sweep() }
            source.resume()
            timer = source
        }
    }

    /// Stops watching `descriptor` and closes it.
    func close(_ descriptor: Int32) {
        lock.lock()
        defer { lock.unlock() }
        watched[descriptor] = nil
        _ = Glibc.close(descriptor)
    }

    private func sweep() {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        for (descriptor, watch) in watched {
            let expired = watch.deadline.map { now >= $0 } ?? false
            if expired || watch.cancellation?.isCancelled == true {
                _ = shutdown(descriptor, Int32(SHUT_RDWR))
                watched[descriptor] = nil
            }
        }
    }
}
