import Dispatch

/// Runs blocking work (libgit2 calls, file reads and writes) on a Dispatch queue and awaits it, so
/// it never occupies a thread of the cooperative pool the server's requests run on.
enum BlockingIO {
    /// Runs `work` on `queue` and returns its result.
    static func run<T: Sendable>(on queue: DispatchQueue, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
