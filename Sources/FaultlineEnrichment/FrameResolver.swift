import Foundation
import FaultlineCore

/// Maps a frame's file, as the runtime printed it, to a path in a commit — or says why it cannot.
///
/// Order: explicit mappings; JVM package + file name; Go module paths (`module@version/…`,
/// `-trimpath`); otherwise the longest unique path-suffix match, a candidate that is wholly a suffix of the
/// frame's path beating one that matches only partly. A tie is `ambiguous`, never a guess.
public struct FrameResolver: Sendable {
    public var mappings: [PathMapping]
    /// The repository the commit belongs to (for Go module paths).
    public var repository: RepositoryURL?

    /// Mappings with their stack roots already split into components.
    private let mappingRoots: [(mapping: PathMapping, root: [Substring])]
    /// The repository key's components, for Go module paths.
    private let repositoryComponents: [Substring]?

    public init(mappings: [PathMapping] = [], repository: RepositoryURL? = nil) {
        // Longest stack root first, so `/app/lib` wins over `/app`.
        self.mappings = mappings.sorted { $0.stackRoot.count > $1.stackRoot.count }
        self.repository = repository
        mappingRoots = self.mappings.compactMap { mapping in
            guard case .success(let root) = NormalisedPath.parse(mapping.stackRoot) else { return nil }
            return (mapping, root.components)
        }
        repositoryComponents = repository.flatMap { $0.isLocal ? nil : $0.key.split(separator: "/") }
    }

    /// Resolves one frame against one commit's paths.
    public func resolve(_ frame: Frame, language: Language, in index: CommitIndex) -> PathResolution {
        guard let file = frame.file, !file.isEmpty else {
            return .notInRepository(reason: "the frame names no source file")
        }
        let normalised: NormalisedPath
        switch NormalisedPath.parse(file) {
        case .success(let path): normalised = path
        case .failure(let failure): return .notInRepository(reason: failure.reason)
        }
        let components = normalised.components

        for (mapping, root) in mappingRoots {
            if let mapped = apply(mapping, root: root, to: components) {
                if index.contains(mapped) {
                    return .found(path: mapped, method: .mapping, reason: "mapped \(mapping.stackRoot) to \(mapping.sourceRoot.isEmpty ? "the repository root" : mapping.sourceRoot)")
                }
                return .notInRepository(reason: "mapped to \(mapped), which is not in this commit")
            }
        }

        if components.contains(where: { $0.utf8.elementsEqual("node_modules".utf8) }) {
            return .notInRepository(reason: "the file is inside node_modules: a dependency, not this repository")
        }

        if let jvm = resolveJVM(frame, language: language, components: components, index: index) {
            return jvm
        }
        if let go = resolveGo(components: components, relative: !normalised.isAbsolute, language: language, index: index) {
            return go
        }
        if let installed = resolveInstalledPackage(components: components, index: index) {
            return installed
        }
        return resolveSuffix(components: components, inApp: frame.inApp, index: index)
    }

    // MARK: - Mappings

    private func apply(_ mapping: PathMapping, root rootComponents: [Substring], to components: [Substring]) -> String? {
        guard components.count > rootComponents.count, Array(components.prefix(rootComponents.count)) == rootComponents else { return nil }
        let source = mapping.sourceRoot.split(separator: "/").filter { $0 != "." }
        return (source + components.dropFirst(rootComponents.count)).joined(separator: "/")
    }

    // MARK: - JVM

    private static let jvmExtensions: Set<Substring> = ["java", "kt", "kts", "scala", "groovy", "clj"]

    private func resolveJVM(_ frame: Frame, language: Language, components: [Substring], index: CommitIndex) -> PathResolution? {
        guard components.count == 1, let fileName = components.first else { return nil }
        let fileExtension = fileName.lastIndex(of: ".").map { fileName[fileName.index(after: $0)...] } ?? ""
        guard language == .jvm || FrameResolver.jvmExtensions.contains(fileExtension) else { return nil }
        guard let module = frame.module, !module.isEmpty else { return nil }
        if JVMPackageAbbreviation.isAbbreviated(module) {
            return resolveAbbreviatedJVM(module: module, fileName: fileName, index: index)
        }
        // `com.acme.Checkout$Inner` → package `com.acme`; the class is the last component.
        var packageParts = module.split(separator: ".")
        guard packageParts.count >= 2 else { return nil }
        packageParts.removeLast()
        // Nested classes printed with dots (`com.acme.Outer.Inner`): packages are lowercase, classes are not.
        while let last = packageParts.last, let first = last.first, first.isUppercase { packageParts.removeLast() }
        guard !packageParts.isEmpty else { return nil }
        let suffix = (packageParts + [fileName]).joined(separator: "/")
        let matches = index.paths(endingWith: suffix)
        switch matches.count {
        case 0: return .notInRepository(reason: "no file \(suffix) in this commit")
        case 1: return .found(path: matches[0], method: .jvmPackage, reason: "matched package \(packageParts.joined(separator: ".")) and file \(fileName)")
        default: return .ambiguous(candidates: matches.sorted(), reason: "\(matches.count) files end with \(suffix)")
        }
    }

    /// dd-trace-java's abbreviated class (`c.a.l.LedgerService` in `LedgerService.java`): a file of that name
    /// whose directories just above it begin, one for one, with the package initials
    /// (`…/com/acme/ledger/LedgerService.java`). Several such files are a true tie.
    private func resolveAbbreviatedJVM(module: String, fileName: Substring, index: CommitIndex) -> PathResolution {
        let initials = module.split(separator: ".").dropLast().map { $0.utf8.first ?? 0 }
        let pattern = initials.map { String(decoding: [$0], as: UTF8.self) }.joined(separator: ".")
        let matches = index.paths(named: fileName).filter { path in
            let directories = path.split(separator: "/").dropLast()
            guard directories.count >= initials.count else { return false }
            return zip(directories.suffix(initials.count), initials).allSatisfy { $0.utf8.first == $1 }
        }
        switch matches.count {
        case 0: return .notInRepository(reason: "no file \(fileName) under directories with initials \(pattern) in this commit")
        case 1: return .found(path: matches[0], method: .jvmPackage, reason: "matched abbreviated package \(pattern) and file \(fileName)")
        default: return .ambiguous(candidates: matches.sorted(), reason: "\(matches.count) files \(fileName) under directories with initials \(pattern)")
        }
    }

    // MARK: - Go

    private func resolveGo(components: [Substring], relative: Bool, language: Language, index: CommitIndex) -> PathResolution? {
        // Module cache or vendored form: …/github.com/org/repo@v1.2.3/pkg/x.go
        if let versioned = components.firstIndex(where: { $0.utf8.contains(UInt8(ascii: "@")) && $0.utf8.first != UInt8(ascii: "@") }) {
            let moduleLast = components[versioned].split(separator: "@", maxSplits: 1)[0]
            let rest = components[(versioned + 1)...]
            guard !rest.isEmpty else { return nil }
            let lead = components[..<versioned]
            let modulePath = (Array(lead) + [moduleLast]).joined(separator: "/")
            guard let relativeDirectory = repositoryRelative(modulePath: modulePath) else {
                let name = (lead.suffix(2) + [components[versioned]]).joined(separator: "/")
                return .notInRepository(reason: "Go module \(name) is a dependency, not this repository")
            }
            let candidate = (relativeDirectory + rest).joined(separator: "/")
            if index.contains(candidate) {
                return .found(path: candidate, method: .goModule, reason: "matched Go module path")
            }
            return .notInRepository(reason: "\(candidate) is not in this commit")
        }
        // -trimpath form: github.com/org/repo/pkg/x.go (relative, led by the module path).
        guard relative, language == .go || components.last?.hasSuffix(".go") == true, let repositoryComponents else { return nil }
        guard components.count > repositoryComponents.count, Array(components.prefix(repositoryComponents.count)) == repositoryComponents else { return nil }
        let candidate = components.dropFirst(repositoryComponents.count).joined(separator: "/")
        if index.contains(candidate) {
            return .found(path: candidate, method: .goModule, reason: "matched Go module path")
        }
        return .notInRepository(reason: "\(candidate) is not in this commit")
    }

    /// For a Go module path inside this repository, its directory relative to the repository root.
    private func repositoryRelative(modulePath: String) -> [Substring]? {
        guard let repositoryComponents else { return nil }
        let module = modulePath.split(separator: "/")
        // The module cache path may carry a prefix (GOPATH/pkg/mod): find the repository key inside it.
        guard module.count >= repositoryComponents.count else { return nil }
        for start in 0...(module.count - repositoryComponents.count) where Array(module[start..<(start + repositoryComponents.count)]) == repositoryComponents {
            var rest = Array(module[(start + repositoryComponents.count)...])
            // Major-version suffix directories (`/v2`) are not directories in the repository.
            if let last = rest.last, last.count >= 2, last.first == "v", last.dropFirst().allSatisfy(\.isNumber) { rest.removeLast() }
            return rest
        }
        return nil
    }

    // MARK: - Installed packages

    private func resolveInstalledPackage(components: [Substring], index: CommitIndex) -> PathResolution? {
        var remainderStart: Int?
        if let root = components.lastIndex(where: { $0.utf8.elementsEqual("site-packages".utf8) || $0.utf8.elementsEqual("dist-packages".utf8) }) {
            remainderStart = root + 1
        } else if let gems = components.lastIndex(where: { $0.utf8.elementsEqual("gems".utf8) }), gems + 2 < components.count {
            remainderStart = gems + 2  // gems/<name>-<version>/lib/…
        }
        guard let start = remainderStart, start < components.count else { return nil }
        let remainder = components[start...].joined(separator: "/")
        let matches = index.paths(endingWith: remainder)
        switch matches.count {
        case 0: return .notInRepository(reason: "installed package file \(remainder) is not in this repository")
        case 1: return .found(path: matches[0], method: .installedPackage, reason: "matched installed package path \(remainder)")
        default: return .ambiguous(candidates: matches.sorted(), reason: "\(matches.count) files end with \(remainder)")
        }
    }

    // MARK: - Suffix

    private func resolveSuffix(components: [Substring], inApp: Bool, index: CommitIndex) -> PathResolution {
        guard let fileName = components.last else { return .notInRepository(reason: "the frame's path is empty") }
        let candidates = index.paths(named: fileName)
        guard !candidates.isEmpty else {
            return .notInRepository(reason: "no file named \(fileName) in this commit")
        }
        // Most trailing components first; at equal length a candidate whose whole path is a suffix of the
        // frame's beats one that only partly matches (frame `/srv/app/lib/x.js`: `lib/x.js` beats
        // `test/lib/x.js`). Only candidates equally good on both counts tie.
        var best = 0
        var bestPaths: [String] = []
        var bestConsumed = false
        for candidate in candidates {
            let (matched, consumed) = FrameResolver.trailingMatch(candidate, components)
            if matched > best || (matched == best && consumed && !bestConsumed) {
                best = matched
                bestPaths = [candidate]
                bestConsumed = consumed
            } else if matched == best && consumed == bestConsumed {
                bestPaths.append(candidate)
            }
        }
        if bestPaths.count > 1 {
            let suffix = components.suffix(best).joined(separator: "/")
            return .ambiguous(candidates: bestPaths.sorted(), reason: "\(bestPaths.count) files end with \(suffix)")
        }
        // A library frame (stdlib, vendored runtime) matching only by file name is a coincidence, not a match.
        if !inApp, best < 2, !bestConsumed {
            return .notInRepository(reason: "library frame: only the file name \(fileName) matches \(bestPaths[0])")
        }
        return .found(path: bestPaths[0], method: .suffix, reason: "matched the last \(best) path component\(best == 1 ? "" : "s")")
    }
}

extension FrameResolver {
    /// How many trailing components `candidate` shares with `components`, and whether that is all of `candidate`.
    /// Walks the bytes from the end: no allocation per candidate.
    static func trailingMatch(_ candidate: String, _ components: [Substring]) -> (matched: Int, consumed: Bool) {
        let bytes = candidate.utf8
        var end = bytes.endIndex
        var matched = 0
        while matched < components.count {
            let slash = bytes[..<end].lastIndex(of: UInt8(ascii: "/"))
            let start = slash.map { bytes.index(after: $0) } ?? bytes.startIndex
            guard bytes[start..<end].elementsEqual(components[components.count - 1 - matched].utf8) else { return (matched, false) }
            matched += 1
            guard let slash else { return (matched, true) }
            end = slash
        }
        return (matched, false)
    }
}

/// A runtime path cleaned up for matching: `file://`, Windows separators and drive letters removed.
struct NormalisedPath {
    var components: [Substring]
    var isAbsolute: Bool

    struct Failure: Error {
        var reason: String
    }

    static func parse(_ raw: String) -> Result<NormalisedPath, Failure> {
        var text = Substring(raw)
        if let first = text.utf8.first, first == UInt8(ascii: "f") || first == UInt8(ascii: "F") || first == UInt8(ascii: "w") || first == UInt8(ascii: "W") {
            let head = text.prefix(11).lowercased()
            for scheme in ["file://", "webpack:///", "webpack://"] where head.hasPrefix(scheme) {
                text = text.dropFirst(scheme.count)
                break
            }
        }
        var path = text.utf8.contains(UInt8(ascii: "\\")) ? text.replacingOccurrences(of: "\\", with: "/") : String(text)
        // Windows drive letter (`C:/…`, or `/C:/…` from a file URL).
        let bytes = Array(path.utf8.prefix(3))
        if bytes.count >= 2, bytes[0] != UInt8(ascii: "/"), bytes[1] == UInt8(ascii: ":"), (bytes.count == 2 || bytes[2] == UInt8(ascii: "/")) {
            path = "/" + path.dropFirst(2)
        } else if bytes.count >= 3, bytes[0] == UInt8(ascii: "/"), bytes[2] == UInt8(ascii: ":") {
            path = String(path.dropFirst(3))
            if !path.hasPrefix("/") { path = "/" + path }
        }
        let isAbsolute = path.utf8.first == UInt8(ascii: "/")
        // Split on bytes: Character-wise splitting is several times slower and "/" is ASCII.
        var components: [Substring] = []
        components.reserveCapacity(12)
        for piece in path.utf8.split(separator: UInt8(ascii: "/")) where !piece.elementsEqual(".".utf8) {
            components.append(Substring(piece))
        }
        if components.contains(where: { $0.utf8.elementsEqual("..".utf8) }) {
            return .failure(Failure(reason: "the path contains '..' segments; refusing to guess"))
        }
        guard !components.isEmpty else { return .failure(Failure(reason: "the frame's path is empty")) }
        return .success(NormalisedPath(components: components, isAbsolute: isAbsolute))
    }
}
