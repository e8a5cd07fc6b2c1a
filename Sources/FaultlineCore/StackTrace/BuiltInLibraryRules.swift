/// The built-in knowledge of which frames belong to a runtime or a third-party package, per language.
/// Paths are looked at segment by segment (`/` and `\` both separate), in one pass, without regex.
enum BuiltInLibraryRules {
    static func isLibrary(file: String?, module: String?, function: String?, language: Language) -> Bool {
        switch language {
        case .jvm:
            guard let module else { return false }
            if hasAnyPrefix(module, jvmLibraryPrefixes) { return true }
            return JVMPackageAbbreviation.isAbbreviated(module) && isAbbreviatedJVMLibrary(module)
        case .dotnet:
            if let module, hasAnyPrefix(module, dotnetLibraryPrefixes) { return true }
            if let function, function[...].hasBytePrefix("lambda_method") { return true }
            return file.map { pathHasLibrarySegment($0, language: language) } ?? false
        case .go:
            if let file, pathHasLibrarySegment(file, language: language) || isGoRootPath(file) { return true }
            return isGoStandardLibrary(module: module, file: file)
        case .nodejs:
            guard let file else { return true }
            let path = file[...]
            if path.hasBytePrefix("node:") || path.hasBytePrefix("internal/") || path.isExactly("<anonymous>")
                || path.isExactly("native") {
                return true
            }
            return pathHasLibrarySegment(file, language: language)
        case .python:
            guard let file else { return false }
            if file[...].hasBytePrefix("<frozen ") { return true }
            return pathHasLibrarySegment(file, language: language)
        case .ruby:
            guard let file else { return false }
            if file[...].hasBytePrefix("<internal:") { return true }
            return pathHasLibrarySegment(file, language: language)
        case .php:
            guard let file else { return false }
            if file[...].isExactly("[internal function]") { return true }
            return pathHasLibrarySegment(file, language: language)
        case .cpp:
            if let function = function?[...], function.hasBytePrefix("std::") || function.hasBytePrefix("__") || function.isExactly("_start") {
                return true
            }
            guard let file else { return true }
            return pathHasLibrarySegment(file, language: language)
        case .unknown:
            return file.map { pathHasLibrarySegment($0, language: language) } ?? false
        }
    }

    static let jvmLibraryPrefixes: [StaticString] = [
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.", "akka.", "groovy.",
        "org.springframework.", "org.apache.", "org.hibernate.", "org.eclipse.jetty.", "io.netty.",
        "io.grpc.", "io.ktor.", "io.micronaut.", "io.quarkus.", "io.reactivex.", "reactor.", "rx.",
        "com.fasterxml.", "com.google.", "okhttp3.", "okio.", "retrofit2.", "ch.qos.logback.",
        "org.slf4j.", "org.junit.", "com.zaxxer.", "org.postgresql.", "com.mysql.", "datadog.",
    ]

    /// Library packages at least two segments deep under the one-segment prefixes above (and the JDK module
    /// prefixes printed before JDK classes), whose initials identify abbreviated library frames.
    static let jvmLibraryPackagesForAbbreviation: [String] = [
        "java.base/", "java.desktop/", "java.sql/", "java.xml/", "java.logging/", "java.net.http/",
        "java.lang.", "java.util.", "java.io.", "java.net.", "java.nio.", "java.time.", "java.security.",
        "java.text.", "java.math.", "javax.servlet.", "javax.net.", "javax.crypto.", "javax.persistence.",
        "jdk.internal.", "sun.reflect.", "sun.nio.", "sun.net.", "sun.security.", "kotlin.coroutines.",
        "kotlin.collections.", "kotlinx.coroutines.", "scala.concurrent.", "scala.collection.", "akka.actor.",
        "akka.http.", "akka.stream.", "groovy.lang.", "reactor.core.", "reactor.netty.", "rx.internal.",
        "okhttp3.internal.", "datadog.trace.",
    ]

    /// Initials of the library packages that are at least two segments deep: `org.springframework.` → `os`.
    ///
    /// An abbreviated frame keeps only its package initials, and one initial alone says nothing: `j.` is
    /// `java.` but also `jp.`, `s.` is `sun.` but also `se.`, `o.` (`okio.`) would be every `org.` package.
    /// So a library prefix of one segment takes part only through its well-known second segment
    /// (``jvmLibraryPackagesForAbbreviation``), and every matching prefix is two initials or more.
    static let jvmAbbreviatedLibraryInitials: [[UInt8]] = {
        let deep = jvmLibraryPrefixes.map { $0.description }.filter { $0.utf8.filter { $0 == UInt8(ascii: ".") }.count >= 2 }
        return (deep + jvmLibraryPackagesForAbbreviation).compactMap { JVMPackageAbbreviation.initials(ofPackage: $0) }
    }()

    /// An abbreviated frame (`o.s.w.s.FrameworkServlet`) is a library frame when the initials of a library
    /// package at least two segments deep (``jvmAbbreviatedLibraryInitials``) begin its own package's
    /// initials: `o.s.w.s` starts with `o.s` (org.springframework), `j.b.l` with `j.b` (java.base/), and
    /// `c.a.l.LedgerService` starts with none. The frame must itself read as abbreviated (every package
    /// segment one letter), so an unabbreviated `com.shop.Cart` is never judged by initials. What the rule
    /// cannot tell apart is an app package with a library's initials (`org.acme.` reads as `o.a.`, like
    /// `org.apache.`); an `InAppRules.includes` entry naming the package (`org.acme`) keeps such frames in-app.
    static func isAbbreviatedJVMLibrary(_ module: String) -> Bool {
        let initials = JVMPackageAbbreviation.packageInitials(ofAbbreviated: module)
        return jvmAbbreviatedLibraryInitials.contains { library in
            library.count <= initials.count && initials.starts(with: library)
        }
    }

    static let dotnetLibraryPrefixes: [StaticString] = [
        "System.", "Microsoft.", "Newtonsoft.", "Npgsql.", "Grpc.", "Polly.", "Datadog.", "Serilog.",
        "NLog.", "Dapper.", "MediatR.", "AutoMapper.", "StackExchange.",
    ]

    /// Go standard library: a package path whose first element has no dot (and is not `main`), when the file
    /// is in GOROOT (`…/src/<pkg>/…`), relative (`-trimpath`) or absent.
    static func isGoStandardLibrary(module: String?, file: String?) -> Bool {
        guard let module, !module.isEmpty else { return false }
        let path = module[...]
        let firstElement = path.firstIndex(ofByte: UInt8(ascii: "/")).map { path[..<$0] } ?? path
        guard !firstElement.isExactly("main"), firstElement.firstIndex(ofByte: UInt8(ascii: ".")) == nil else {
            return false
        }
        guard let file else { return true }
        let filePath = file[...]
        if !filePath.hasBytePrefix("/"), !filePath.contains(bytes: ":\\") { return true }
        // `/usr/local/go/src/net/http/server.go` for package `net/http`.
        var from = filePath.startIndex
        while let src = filePath.byteRange(of: "/src/", from: from) {
            if filePath[src.upperBound...].starts(withText: String(firstElement) + "/") { return true }
            from = src.upperBound
        }
        return false
    }

    /// A file under GOROOT: `…/go/src/runtime/panic.go`, `/usr/lib/go-1.19/src/net/http/server.go`,
    /// `/root/sdk/go1.21.0/src/…` — a `src` directory inside a `go…` directory, followed by a standard
    /// package (no dot in its first element, unlike GOPATH's `/go/src/github.com/…`).
    static func isGoRootPath(_ file: String) -> Bool {
        let path = file[...]
        var from = path.startIndex
        while let src = path.byteRange(of: "/src/", from: from) {
            from = src.upperBound
            let before = path[..<src.lowerBound]
            let parentStart = before.lastIndex(ofByte: UInt8(ascii: "/")).map { before.utf8.index(after: $0) } ?? before.startIndex
            guard before[parentStart...].hasBytePrefix("go") else { continue }
            let after = path[src.upperBound...]
            let nextEnd = after.firstIndex(ofByte: UInt8(ascii: "/")) ?? after.endIndex
            if nextEnd < after.endIndex, after[..<nextEnd].firstIndex(ofByte: UInt8(ascii: ".")) == nil { return true }
        }
        return false
    }

    /// Walks the path's directory segments once (the file name never marks a library), comparing bytes.
    static func pathHasLibrarySegment(_ path: String, language: Language) -> Bool {
        path[...].withBytes { bytes in
            var previous = 0..<0
            var start = 0
            for offset in 0..<bytes.count where bytes[offset] == UInt8(ascii: "/") || bytes[offset] == UInt8(ascii: "\\") {
                if offset > start {
                    let segment = Segment(bytes: bytes, range: start..<offset)
                    if isLibrarySegment(segment, after: Segment(bytes: bytes, range: previous), language: language) {
                        return true
                    }
                    previous = start..<offset
                }
                start = offset + 1
            }
            return false
        }
    }

    /// A path segment as a byte range, compared without building strings.
    private struct Segment {
        let bytes: UnsafeBufferPointer<UInt8>
        let range: Range<Int>

        func isExactly(_ text: StaticString) -> Bool {
            range.count == text.utf8CodeUnitCount && hasBytePrefix(text)
        }

        func hasBytePrefix(_ text: StaticString) -> Bool {
            text.withUTF8Buffer { pattern in
                guard range.count >= pattern.count else { return false }
                for offset in 0..<pattern.count where bytes[range.lowerBound + offset] != pattern[offset] { return false }
                return true
            }
        }

        /// A Go module directory: `name@v1.2.3`.
        var hasVersionMarker: Bool {
            var offset = range.lowerBound
            while offset + 1 < range.upperBound {
                if bytes[offset] == UInt8(ascii: "@"), bytes[offset + 1] == UInt8(ascii: "v") { return true }
                offset += 1
            }
            return false
        }
    }

    private static func isLibrarySegment(_ segment: Segment, after previous: Segment, language: Language) -> Bool {
        if segment.isExactly("vendor") { return true }
        switch language {
        case .python:
            if segment.isExactly("site-packages") || segment.isExactly("dist-packages") { return true }
            return (previous.isExactly("lib") || previous.isExactly("lib64") || previous.isExactly("Lib"))
                && (segment.hasBytePrefix("python2") || segment.hasBytePrefix("python3"))
        case .nodejs:
            return segment.isExactly("node_modules")
        case .ruby:
            return segment.isExactly("gems") || segment.isExactly("rubygems") || (previous.isExactly("lib") && segment.isExactly("ruby"))
        case .go:
            if previous.isExactly("pkg") && segment.isExactly("mod") { return true }
            return segment.hasVersionMarker
        case .cpp:
            if previous.isExactly("usr") && (segment.isExactly("include") || segment.isExactly("lib") || segment.isExactly("lib64")) { return true }
            return segment.isExactly("nptl") || segment.isExactly("sysdeps") || segment.isExactly("csu") || segment.isExactly("libsanitizer")
                || segment.isExactly("stdlib") || segment.isExactly("libio")
        case .php, .jvm, .dotnet, .unknown:
            return false
        }
    }

    /// One pass over the value's bytes per candidate, skipping candidates whose first byte differs.
    static func hasAnyPrefix(_ value: String, _ prefixes: [StaticString]) -> Bool {
        value[...].withBytes { bytes in
            guard let first = bytes.first else { return false }
            for prefix in prefixes where prefix.utf8CodeUnitCount <= bytes.count && prefix.utf8Start.pointee == first {
                let count = prefix.utf8CodeUnitCount
                let pattern = prefix.utf8Start
                var offset = 1
                while offset < count, bytes[offset] == pattern[offset] { offset += 1 }
                if offset == count { return true }
            }
            return false
        }
    }
}
