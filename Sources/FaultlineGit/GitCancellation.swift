import Foundation

/// A flag another thread sets to stop a running clone or fetch at its next progress callback.
public final class GitCancellation: @unchecked Sendable {
    // @unchecked: the only state is `cancelled`, always read and written under `lock`.
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    /// Asks the transfer to stop; it aborts at its next progress callback.
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }
}
