import Dispatch
import FaultlineGit
import Foundation

/// Runs blocking libgit2 work on its own threads, never on the cooperative pool.
enum BlockingGit {
    private static let queue = DispatchQueue(label: "faultline.git", qos: .utility, attributes: .concurrent)

    /// Runs `work` on the git queue and returns its result.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await BlockingIO.run(on: queue, work)
    }

    /// Runs `work`; after `timeout`, cancels it through `cancellation` and returns `onTimeout` without waiting for it.
    static func run<T: Sendable>(timeout: Duration, cancellation: GitCancellation, onTimeout: @escaping @Sendable () -> any Error, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let once = ResumeOnce(continuation)
            queue.async {
                once.resume(with: Result { try work() })
            }
            let nanoseconds = max(0, timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
            queue.asyncAfter(deadline: .now() + .nanoseconds(Int(min(nanoseconds, Int64(Int.max))))) {
                cancellation.cancel()
                once.resume(with: .failure(onTimeout()))
            }
        }
    }
}

/// Resumes a continuation exactly once, whichever of work and timer comes first.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    // @unchecked: `continuation` is taken under `lock`, so only one caller ever resumes it.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = continuation
    }

    func resume(with result: Result<T, any Error>) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(with: result)
    }
}

/// One open repository per mirror, used only on its own serial queue (libgit2 handles must not be shared).
final class MirrorReader: @unchecked Sendable {
    // @unchecked: `repository` is touched only inside `queue`, a serial queue.
    private let queue: DispatchQueue
    private let path: String
    private var repository: GitRepository?

    init(path: String) {
        self.path = path
        queue = DispatchQueue(label: "faultline.git.reader", qos: .utility)
    }

    /// Runs `work` with the open repository on the reader's queue.
    func read<T: Sendable>(_ work: @escaping @Sendable (GitRepository) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    let repository = try self.openRepository()
                    return try work(repository)
                })
            }
        }
    }

    private func openRepository() throws -> GitRepository {
        if let repository { return repository }
        let opened = try GitRepository.open(at: path)
        repository = opened
        return opened
    }
}
