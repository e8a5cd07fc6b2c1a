internal import CLibgit2

/// Process-wide libgit2 setup: initialised once, lazily, before the first repository is touched.
public enum Libgit2 {
    /// Initialises libgit2 on first use; `git_libgit2_init` is reference-counted and never shut down here.
    /// Registers our socket stream, whose waits end at the transfer's deadline (see `DeadlineSocketStream`).
    private static let initialised: Bool = {
        git_libgit2_init()
        DeadlineSocketStream.register()
        return true
    }()

    /// Makes sure libgit2 is initialised; every entry point of this module calls it.
    static func ensureInitialised() {
        _ = initialised
    }

    /// The libgit2 version this process linked, e.g. `1.5.1`.
    public static var version: String {
        ensureInitialised()
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// Global libgit2 settings that trade safety checks for speed; see `GitTuning`.
    public static func apply(_ tuning: GitTuning) {
        ensureInitialised()
        _ = faultline_git_opts_int(Int32(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION.rawValue), tuning.strictObjectCreation ? 1 : 0)
        _ = faultline_git_opts_int(Int32(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION.rawValue), tuning.strictHashVerification ? 1 : 0)
        _ = faultline_git_opts_int(Int32(GIT_OPT_ENABLE_FSYNC_GITDIR.rawValue), tuning.fsyncGitDirectory ? 1 : 0)
        if let window = tuning.mwindowMappedLimit {
            _ = faultline_git_opts_size(Int32(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT.rawValue), window)
        }
    }
}

/// libgit2's global safety/speed switches (`git_libgit2_opts`).
public struct GitTuning: Sendable, Hashable {
    /// Verify that objects a new object points to exist (libgit2 default: on).
    public var strictObjectCreation: Bool
    /// Re-hash every object read from the object database (libgit2 default: on).
    public var strictHashVerification: Bool
    /// fsync files written into the git directory (libgit2 default: off).
    public var fsyncGitDirectory: Bool
    /// Upper bound of memory-mapped pack data, bytes; nil keeps libgit2's default.
    public var mwindowMappedLimit: Int?

    public init(strictObjectCreation: Bool = true, strictHashVerification: Bool = true, fsyncGitDirectory: Bool = false, mwindowMappedLimit: Int? = nil) {
        self.strictObjectCreation = strictObjectCreation
        self.strictHashVerification = strictHashVerification
        self.fsyncGitDirectory = fsyncGitDirectory
        self.mwindowMappedLimit = mwindowMappedLimit
    }

    /// libgit2's own defaults.
    public static let libgit2Defaults = GitTuning()
    /// What mirrors use: objects come from a remote we only read, so re-verification buys nothing.
    public static let mirror = GitTuning(strictObjectCreation: false, strictHashVerification: false, fsyncGitDirectory: false)
}
