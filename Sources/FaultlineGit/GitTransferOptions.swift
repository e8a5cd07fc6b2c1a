import Foundation

/// Credentials handed to libgit2 through its credential callback; never part of a URL or a message.
public enum GitCredentials: Sendable, Hashable {
    /// HTTPS token: sent as the password, with `username` (GitHub accepts `x-access-token`).
    case token(username: String, token: String)
    /// SSH key files on disk.
    case sshKey(username: String, publicKeyPath: String?, privateKeyPath: String, passphrase: String?)
}

/// Limits and credentials for one clone or fetch.
public struct GitTransferOptions: Sendable {
    /// Abort when the server has sent more than this many bytes.
    public var maxBytes: Int?
    /// Abort at the first progress callback after this instant.
    public var deadline: ContinuousClock.Instant?
    /// Lets another thread abort the transfer.
    public var cancellation: GitCancellation?
    public var credentials: GitCredentials?
    /// For local sources: copy the object database (`GIT_CLONE_LOCAL_NO_LINKS`) instead of running the pack protocol.
    /// The size limit is then checked against the source's object database, the deadline before and after the copy.
    public var copyLocalObjects: Bool
    /// Receives the bytes the transfer took from the server, when set.
    public var meter: GitTransferMeter?

    public init(maxBytes: Int? = nil, deadline: ContinuousClock.Instant? = nil, cancellation: GitCancellation? = nil, credentials: GitCredentials? = nil, copyLocalObjects: Bool = true, meter: GitTransferMeter? = nil) {
        self.maxBytes = maxBytes
        self.deadline = deadline
        self.cancellation = cancellation
        self.credentials = credentials
        self.copyLocalObjects = copyLocalObjects
        self.meter = meter
    }
}

/// What transfers received, added up over every clone or fetch it was passed to.
public final class GitTransferMeter: @unchecked Sendable {
    // @unchecked: `bytes` and `transfers` are read and written only under `lock`.
    private let lock = NSLock()
    private var bytes = 0
    private var transfers = 0

    public init() {}

    /// Bytes received from servers (pack data, as libgit2's indexer counts it; 0 for a local copy).
    public var receivedBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return bytes
    }

    /// How many clones or fetches were recorded.
    public var transferCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return transfers
    }

    func record(receivedBytes received: Int) {
        lock.lock()
        bytes += received
        transfers += 1
        lock.unlock()
    }
}

/// What the transfer callbacks read and write; passed to C as an `Unmanaged` payload.
final class TransferState {
    let options: GitTransferOptions
    /// Why the transfer was aborted by us, if it was.
    var abortReason: GitError.Kind?
    var credentialAttempts = 0
    /// The server asked again after our credentials: it rejected them.
    var credentialsRejected = false
    /// The server asked for credentials and none were configured for this URL.
    var credentialsMissing = false
    var receivedBytes = 0

    init(options: GitTransferOptions) {
        self.options = options
    }

    /// Returns 0 to continue, a negative value to make libgit2 abort.
    func check(receivedBytes bytes: Int) -> Int32 {
        receivedBytes = max(receivedBytes, bytes)
        if let limit = options.maxBytes, bytes > limit {
            abortReason = .sizeLimitExceeded
            return -1
        }
        return checkTimeAndCancellation()
    }

    func checkTimeAndCancellation() -> Int32 {
        if options.cancellation?.isCancelled == true {
            abortReason = abortReason ?? .cancelled
            return -1
        }
        if let deadline = options.deadline, ContinuousClock.now >= deadline {
            abortReason = .timedOut
            return -1
        }
        return 0
    }
}
