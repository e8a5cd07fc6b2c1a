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
        if !includes.isEmpty, Self.matches(includes, file: file, module: module, language: language) { return true }
        if !excludes.isEmpty, Self.matches(excludes, file: file, module: module, language: language) { return false }
        return !BuiltInLibraryRules.isLibrary(file: file, module: module, function: function, language: language)
    }

    /// The rules as they were before abbreviated JVM frames were understood (grouping version 2), so an
    /// issue made then can still be found for a new event.
    func isInAppIgnoringAbbreviation(file: String?, module: String?, function: String?, language: Language) -> Bool {
        if !includes.isEmpty, Self.matches(includes, file: file, module: module, abbreviated: false) { return true }
        if !excludes.isEmpty, Self.matches(excludes, file: file, module: module, abbreviated: false) { return false }
        if language == .jvm, let module {
            return !BuiltInLibraryRules.hasAnyPrefix(module, BuiltInLibraryRules.jvmLibraryPrefixes)
        }
        return !BuiltInLibraryRules.isLibrary(file: file, module: module, function: function, language: language)
    }

    /// A pattern matches as a substring; for an abbreviated JVM class (`c.a.l.LedgerService`) a pattern that
    /// reads as a package of two segments or more (`com.acme`) also matches by its initials (`c.a`).
    private static func matches(_ patterns: [String], file: String?, module: String?, language: Language) -> Bool {
        matches(patterns, file: file, module: module, abbreviated: language == .jvm)
    }

    private static func matches(_ patterns: [String], file: String?, module: String?, abbreviated: Bool) -> Bool {
        let abbreviatedModule = abbreviated && module.map(JVMPackageAbbreviation.isAbbreviated) == true
        for pattern in patterns where !pattern.isEmpty {
            if let file, file.contains(pattern) { return true }
            if let module, module.contains(pattern) { return true }
            if abbreviatedModule, let module, matchesByInitials(pattern, module: module) { return true }
        }
        return false
    }

    private static func matchesByInitials(_ pattern: String, module: String) -> Bool {
        let isDottedName = pattern.utf8.allSatisfy { byte in
            byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
                || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
        }
        let name = pattern.hasSuffix(".") ? String(pattern.dropLast()) : pattern
        guard isDottedName, let initials = JVMPackageAbbreviation.initials(ofPackage: name), initials.count >= 2 else {
            return false
        }
        return JVMPackageAbbreviation.packageInitials(ofAbbreviated: module).starts(with: initials)
    }
}
