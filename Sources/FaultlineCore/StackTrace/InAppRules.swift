/// Decides whether a frame is the service's own code. Defaults mark runtimes and third-party packages
/// not in-app; configuration can add patterns either way.
public struct InAppRules: Sendable, Hashable, Codable {
    /// Path or module substrings that force a frame in-app (checked first).
    public var includes: [String]
    /// Path or module substrings that mark a frame not in-app, added to the built-in ones.
    public var excludes: [String]

    public init(includes: [String] = [], excludes: [String] = []) {
        self.includes = includes
        self.excludes = excludes
    }

    public static let `default` = InAppRules()
}
