/// The built-in knowledge of which frames belong to a runtime or a third-party package, per language.
/// Paths are looked at segment by segment (`/` and `\` both separate), in one pass, without regex.
enum BuiltInLibraryRules {
    static func isLibrary(file: String?, module: String?, function: String?, language: Language) -> Bool {
        switch language {
        case .jvm:
            if let module, hasAnyPrefix(module, jvmLibraryPrefixes) { return true }
            return false
        case .dotnet:
            if let module, hasAnyPrefix(module, dotnetLibraryPrefixes) { return true }
            if let function, function.hasPrefix("lambda_method") { return true }
            return file.map { pathHasLibrarySegment($0, language: language) } ?? false
        case .go:
            if let file, pathHasLibrarySegment(file, language: language) { return true }
            return isGoStandardLibrary(module: module, file: file)
        case .nodejs:
            guard let file else { return true }
            if file.hasPrefix("node:") || file.hasPrefix("internal/") || file == "<anonymous>" || file == "native" {
                return true
            }
            return pathHasLibrarySegment(file, language: language)
        case .python:
            guard let file else { return false }
            if file.hasPrefix("<frozen ") { return true }
            return pathHasLibrarySegment(file, language: language)
        case .ruby:
            guard let file else { return false }
            if file.hasPrefix("<internal:") { return true }
            return pathHasLibrarySegment(file, language: language)
        case .php:
            guard let file else { return false }
            if file == "[internal function]" { return true }
            return pathHasLibrarySegment(file, language: language)
        case .cpp:
            if let function, function.hasPrefix("std::") || function.hasPrefix("__") || function == "_start" {
                return true
            }
            guard let file else { return true }
            return pathHasLibrarySegment(file, language: language)
        case .unknown:
            return file.map { pathHasLibrarySegment($0, language: language) } ?? false
        }
    }

    static let jvmLibraryPrefixes = [
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.", "akka.", "groovy.",
        "org.springframework.", "org.apache.", "org.hibernate.", "org.eclipse.jetty.", "io.netty.",
        "io.grpc.", "io.ktor.", "io.micronaut.", "io.quarkus.", "io.reactivex.", "reactor.", "rx.",
        "com.fasterxml.", "com.google.", "okhttp3.", "okio.", "retrofit2.", "ch.qos.logback.",
        "org.slf4j.", "org.junit.", "com.zaxxer.", "org.postgresql.", "com.mysql.", "datadog.",
    ]

    static let dotnetLibraryPrefixes = [
        "System.", "Microsoft.", "Newtonsoft.", "Npgsql.", "Grpc.", "Polly.", "Datadog.", "Serilog.",
        "NLog.", "Dapper.", "MediatR.", "AutoMapper.", "StackExchange.",
    ]

    /// Go standard library: a package path whose first element has no dot (and is not `main`), when the file
    /// is in GOROOT (`…/src/<pkg>/…`), relative (`-trimpath`) or absent.
    static func isGoStandardLibrary(module: String?, file: String?) -> Bool {
        guard let module, !module.isEmpty else { return false }
        let firstElement = module.prefix { $0 != "/" }
        guard firstElement != "main", !firstElement.contains(".") else { return false }
        guard let file else { return true }
        if !file.hasPrefix("/") && !file.contains(":\\") { return true }
        return file.contains("/src/\(firstElement)/")
    }

    /// Walks the path's segments once and asks whether any segment (with its predecessor) marks a library.
    static func pathHasLibrarySegment(_ path: String, language: Language) -> Bool {
        // Only directory segments count: the file name itself never marks a library.
        var previous: Substring = ""
        let bytes = path.utf8
        var segmentStart = bytes.startIndex
        var index = segmentStart
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") {
                let segment = path[segmentStart..<index]
                if !segment.isEmpty {
                    if isLibrarySegment(segment, after: previous, language: language) { return true }
                    previous = segment
                }
                segmentStart = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        return false
    }

    private static func isLibrarySegment(_ segment: Substring, after previous: Substring, language: Language) -> Bool {
        if segment == "vendor" { return true }
        switch language {
        case .python:
            if segment == "site-packages" || segment == "dist-packages" { return true }
            return (previous == "lib" || previous == "lib64" || previous == "Lib")
                && (segment.hasPrefix("python2") || segment.hasPrefix("python3"))
        case .nodejs:
            return segment == "node_modules"
        case .ruby:
            return segment == "gems" || segment == "rubygems" || (previous == "lib" && segment == "ruby")
        case .go:
            if previous == "pkg" && segment == "mod" { return true }
            return hasVersionMarker(segment)
        case .cpp:
            if previous == "usr" && (segment == "include" || segment == "lib" || segment == "lib64") { return true }
            return segment == "nptl" || segment == "sysdeps" || segment == "csu" || segment == "libsanitizer"
                || segment == "stdlib" || segment == "libio"
        case .php, .jvm, .dotnet, .unknown:
            return false
        }
    }

    /// A Go module directory `name@v1.2.3`.
    private static func hasVersionMarker(_ segment: Substring) -> Bool {
        guard let at = segment.firstIndex(of: "@") else { return false }
        return segment[segment.index(after: at)...].hasPrefix("v")
    }

    private static func hasAnyPrefix(_ value: String, _ prefixes: [String]) -> Bool {
        for prefix in prefixes where value.hasPrefix(prefix) { return true }
        return false
    }
}
