import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The transfer running on the current thread, so the socket streams libgit2 opens for it can find its
/// deadline and cancellation (libgit2 passes a stream constructor only the host and port).
enum TransferScope {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Runs `body` with `state` as the current thread's transfer; libgit2 transfers run entirely on the calling thread.
    static func run<T>(_ state: TransferState, _ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(state).toOpaque())
        defer { pthread_setspecific(key, previous) }
        return try withExtendedLifetime(state) { try body() }
    }

    /// The current thread's transfer, or nil outside `run`.
    static var current: TransferState? {
        guard let pointer = pthread_getspecific(key) else { return nil }
        return Unmanaged<TransferState>.fromOpaque(pointer).takeUnretainedValue()
    }
}
