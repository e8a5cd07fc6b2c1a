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

    /// Whether a frame with this file, module and function is the service's own code: configured includes
    /// win, then configured excludes, then the built-in rules for the language.
    public func isInApp(file: String?, module: String?, function: String?, language: Language) -> Bool {
        if !includes.isEmpty, Self.matches(includes, file: file, module: module) { return true }
        if !excludes.isEmpty, Self.matches(excludes, file: file, module: module) { return false }
        return !BuiltInLibraryRules.isLibrary(file: file, module: module, function: function, language: language)
    }

    private static func matches(_ patterns: [String], file: String?, module: String?) -> Bool {
        for pattern in patterns where !pattern.isEmpty {
            if let file, file.contains(pattern) { return true }
            if let module, module.contains(pattern) { return true }
        }
        return false
    }
}
