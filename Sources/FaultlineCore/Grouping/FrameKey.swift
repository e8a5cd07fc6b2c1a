/// The part of a frame that grouping hashes: its module (or file stem) and function, with the noise that
/// changes between builds removed — never its line, column or the path prefix of its file.
enum FrameKey {
    /// `module.function` for `frame`, or nil when the frame names nothing at all. `steps` grows with the
    /// bytes examined. With `abbreviatingJVMPackages` (grouping version 3 on) a JVM class is keyed by its
    /// package initials, as dd-trace-java abbreviates long traces (`com.acme.Ledger` and `c.a.Ledger` are
    /// both `c.a.Ledger`), so the same frame keys alike whether or not its trace was abbreviated.
    static func of(_ frame: Frame, language: Language, abbreviatingJVMPackages: Bool = false, steps: inout Int) -> String? {
        let function = frame.function.map { cleanFunction(bounded($0)) } ?? []
        var joined: [UInt8] = []
        joined.reserveCapacity(96)
        let module = abbreviatingJVMPackages && language == .jvm ? frame.module.map(JVMPackageAbbreviation.abbreviated) : frame.module
        if let module, case let bytes = trimmed(bounded(module)), !bytes.isEmpty {
            appendModule(bytes, language: language, to: &joined)
        } else if let file = frame.file, !file.isEmpty {
            appendFileStem(bounded(file), to: &joined)
        }
        guard !joined.isEmpty || !function.isEmpty else { return nil }
        if !joined.isEmpty { joined.append(.dot) }
        if function.isEmpty { joined.append(UInt8(ascii: "?")) } else { joined.append(contentsOf: function) }
        steps += joined.count + 1
        return String(decoding: stripGeneratedNoise(joined), as: UTF8.self)
    }

    /// Names longer than this many bytes keep only their last bytes (where the file and class names are)
    /// before cleaning, so no frame costs more than a bounded amount.
    static let maxNameBytes = 512

    private static func bounded(_ name: String) -> ArraySlice<UInt8> {
        let bytes = Array(name.utf8)
        return bytes.count <= maxNameBytes ? bytes[...] : bytes.suffix(maxNameBytes)
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end && bytes[start].isSpace { start += 1 }
        while end > start && bytes[end - 1].isSpace { end -= 1 }
        return bytes[start..<end]
    }

    // MARK: - Function names

    /// Removes wrappers the runtimes print around a function name.
    static func cleanFunction(_ raw: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var name = trimmed(raw)
        // Node: `async handler`, `new Widget`, `Layer.handle [as handle_request]`.
        for prefix in [Marker.async, Marker.new] where name.starts(with: prefix) {
            name = name.dropFirst(prefix.count)
        }
        if name.last == UInt8(ascii: "]"), let open = lastRange(of: Marker.alias, in: name) {
            name = name[..<open]
        }
        // Ruby: `block (2 levels) in process`, `rescue in fetch`, `ensure in close`.
        while name.starts(with: Marker.block) || name.starts(with: Marker.rescue) || name.starts(with: Marker.ensure),
              let range = firstRange(of: Marker.in, in: name) {
            name = name[range...].dropFirst(Marker.in.count)
        }
        return trimmed(name)
    }

    // MARK: - Modules and files

    static func appendModule(_ module: ArraySlice<UInt8>, language: Language, to out: inout [UInt8]) {
        if language == .go {
            // Module-cache paths carry the version: `github.com/acme/shop@v1.4.2/cart`.
            appendRemovingGoVersions(module, to: &out)
            return
        }
        // Some runtimes name the module by its file; a JVM lambda class (`Foo$$Lambda/0x…`) or a PHP
        // namespace (`App\\Cart`) is no path.
        let i = module.startIndex
        let isWindowsPath = module.count >= 3 && module[i + 1] == .colon && (module[i + 2] == .backslash || module[i + 2] == .slash)
        if module.first == .slash || module.starts(with: Marker.fileScheme) || isWindowsPath {
            appendFileStem(module, to: &out)
        } else {
            out.append(contentsOf: module)
        }
    }

    /// Appends the file's name without directories, query, extension or build hashes (`main.3f2a91bc.js` → `main`).
    static func appendFileStem(_ path: ArraySlice<UInt8>, to out: inout [UInt8]) {
        var name = path
        if let cut = name.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) { name = name[..<cut] }
        if let slash = name.lastIndex(where: { $0 == .slash || $0 == .backslash }) { name = name[(slash + 1)...] }
        if let dot = name.lastIndex(of: .dot), dot > name.startIndex { name = name[..<dot] }
        // Fast path: no piece can be a build hash when nothing separates pieces.
        guard name.contains(where: { $0 == .dot || $0 == .minus }) || isBuildHash(name) else {
            out.append(contentsOf: name)
            return
        }
        let start = out.count
        for piece in name.split(separator: .dot, omittingEmptySubsequences: false) {
            // `chunk-4f2a91bc` → `chunk`; a piece that is all build hash goes entirely.
            var kept: [UInt8] = []
            for part in piece.split(separator: .minus, omittingEmptySubsequences: false) where !isBuildHash(part) {
                if !kept.isEmpty { kept.append(.minus) }
                kept.append(contentsOf: part)
            }
            guard !kept.isEmpty else { continue }
            if out.count > start { out.append(.dot) }
            out.append(contentsOf: kept)
        }
    }

    private static func isBuildHash(_ piece: ArraySlice<UInt8>) -> Bool {
        piece.count >= 7 && piece.allSatisfy { $0.isHexDigit } && piece.contains { $0.isDigit }
    }

    private static func appendRemovingGoVersions(_ module: ArraySlice<UInt8>, to out: inout [UInt8]) {
        guard module.contains(UInt8(ascii: "@")) else {
            out.append(contentsOf: module)
            return
        }
        var skipping = false
        for byte in module {
            if byte == UInt8(ascii: "@") {
                skipping = true
            } else if byte == .slash {
                skipping = false
                out.append(byte)
            } else if !skipping {
                out.append(byte)
            }
        }
    }

    private static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        while i + needle.count <= haystack.endIndex {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    private static func lastRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.endIndex - needle.count
        while i >= haystack.startIndex {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    private enum Marker {
        static let async = Array("async ".utf8)
        static let new = Array("new ".utf8)
        static let alias = Array(" [as ".utf8)
        static let block = Array("block".utf8)
        static let rescue = Array("rescue".utf8)
        static let ensure = Array("ensure".utf8)
        static let `in` = Array(" in ".utf8)
        static let fileScheme = Array("file:".utf8)
        static let lambda = Array("$$Lambda".utf8)
        static let doubleDollar = Array("$$".utf8)
        static let hibernateProxy = Array("$HibernateProxy$".utf8)
        static let proxy = Array("$Proxy".utf8)
        static let goClosures = [".func", ".gowrap", ".deferwrap"].map { Array($0.utf8) }
        static let anonymousClass = Array("@anonymous".utf8)
        static let moveNext = Array(".MoveNext".utf8)
        static let lambdaSuffix = Array(".lambda".utf8)
        static let underscores = Array("__".utf8)
        static let generatedAccessors = ["GeneratedMethodAccessor", "GeneratedConstructorAccessor", "GeneratedSerializationConstructorAccessor"]
            .map { Array($0.utf8) }
    }

    // MARK: - Generated names

    /// Removes what compilers and runtimes generate and renumber between builds: Java lambda and anonymous
    /// class numbers, `$$Lambda$12/0x…`, CGLIB and Hibernate proxies, reflection accessors, Scala
    /// `$anonfun$…$1`, .NET async state machines, lambdas and display classes, Go closure numbers, PHP
    /// closure lines and anonymous classes, hex addresses.
    static func stripGeneratedNoise(_ input: [UInt8]) -> [UInt8] {
        guard mayHaveGeneratedNoise(input) else { return input }
        let s = removeDotNetCompilerNames(input)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            let b = s[i]
            switch b {
            case .dollar:
                // `$$Lambda$12/0x0000000800c0b440` and `$$Lambda/0x…` → `$$Lambda`.
                if s.hasPrefix(Marker.lambda, at: i) {
                    out.append(contentsOf: Marker.lambda)
                    i += Marker.lambda.count
                    while i < s.count && (s[i] == .dollar || s[i] == .slash || s[i].isHexDigit || s[i] == UInt8(ascii: "x")) { i += 1 }
                    continue
                }
                // `$$EnhancerBySpringCGLIB$$1a2b`, `$$SpringCGLIB$$0`, `$HibernateProxy$x1Y` up to the next segment.
                if s.hasPrefix(Marker.doubleDollar, at: i) || s.hasPrefix(Marker.hibernateProxy, at: i) {
                    while i < s.count && s[i] != .dot { i += 1 }
                    continue
                }
                // `$Proxy12` → `$Proxy`.
                if s.hasPrefix(Marker.proxy, at: i) {
                    out.append(contentsOf: Marker.proxy)
                    i += Marker.proxy.count
                    while i < s.count && s[i].isDigit { i += 1 }
                    continue
                }
                // `Foo$1`, `lambda$run$0`, `$anonfun$apply$2`: the numbers are assigned in source order.
                if i + 1 < s.count, s[i + 1].isDigit {
                    var j = i + 1
                    while j < s.count && s[j].isDigit { j += 1 }
                    if j == s.count || s[j] == .dollar || s[j] == .dot {
                        i = j
                        continue
                    }
                }
            case .dot:
                // Go closures `handler.func1.2`, `gowrap1`, `deferwrap3` → `handler.func`.
                if let word = Marker.goClosures.first(where: { s.hasPrefix($0, at: i) }), i + word.count < s.count, s[i + word.count].isDigit {
                    out.append(contentsOf: word)
                    i += word.count
                    while i < s.count && (s[i].isDigit || (s[i] == .dot && i + 1 < s.count && s[i + 1].isDigit)) { i += 1 }
                    continue
                }
            case UInt8(ascii: "0"), UInt8(ascii: "+"):
                // Addresses and offsets: `+0x1a`, `0x7ffd5e2c`.
                if let end = hexLiteralEnd(s, from: b == UInt8(ascii: "+") ? i + 1 : i) {
                    i = end
                    continue
                }
            case .colon:
                // PHP 8.4 closures name their line: `{closure:App\Cart::add():12}` → `{closure:App\Cart::add()}`.
                if i > 0, s[i - 1] == UInt8(ascii: ")") {
                    var j = i + 1
                    while j < s.count && s[j].isDigit { j += 1 }
                    if j > i + 1, j < s.count, s[j] == UInt8(ascii: "}") {
                        i = j
                        continue
                    }
                }
            case UInt8(ascii: "@"):
                // PHP anonymous classes: `class@anonymous%0/app/src/Foo.php:12$0` → `class@anonymous`.
                if s.hasPrefix(Marker.anonymousClass, at: i) {
                    out.append(contentsOf: Marker.anonymousClass)
                    i += Marker.anonymousClass.count
                    // The generated tail (file, line, `$0`) ends at the `$N` counter; without one, at the segment end.
                    var j = i
                    while j + 1 < s.count && !(s[j] == .dollar && s[j + 1].isDigit) { j += 1 }
                    if j + 1 < s.count {
                        j += 1
                        while j < s.count && s[j].isDigit { j += 1 }
                        i = j
                    } else {
                        while i < s.count && s[i] != .dot && s[i] != .minus { i += 1 }
                    }
                    continue
                }
            case UInt8(ascii: "G"):
                // `GeneratedMethodAccessor42` → `GeneratedMethodAccessor`.
                if let accessor = Marker.generatedAccessors.first(where: { s.hasPrefix($0, at: i) }) {
                    out.append(contentsOf: accessor)
                    i += accessor.count
                    while i < s.count && s[i].isDigit { i += 1 }
                    continue
                }
            default:
                break
            }
            out.append(b)
            i += 1
        }
        return out
    }

    /// A cheap first pass: most names (Python, Ruby, plain Java methods) have nothing to strip.
    private static func mayHaveGeneratedNoise(_ s: [UInt8]) -> Bool {
        var i = 0
        while i < s.count {
            switch s[i] {
            case .dollar, UInt8(ascii: "<"), UInt8(ascii: "@"):
                return true
            case UInt8(ascii: "0"):
                if i + 1 < s.count && s[i + 1] | 0x20 == UInt8(ascii: "x") { return true }
            case .colon:
                if i > 0 && s[i - 1] == UInt8(ascii: ")") { return true }
            case UInt8(ascii: "G"):
                if Marker.generatedAccessors.contains(where: { s.hasPrefix($0, at: i) }) { return true }
            case .dot:
                if Marker.goClosures.contains(where: { s.hasPrefix($0, at: i) }) { return true }
            default:
                break
            }
            i += 1
        }
        return false
    }

    /// `<ProcessAsync>d__12.MoveNext` → `ProcessAsync`, `<Main>b__0_0` → `Main.lambda`,
    /// `<Run>g__Local|3_0` → `Run.Local`, and `<>c` / `<>c__DisplayClass2_0` segments dropped.
    private static func removeDotNetCompilerNames(_ s: [UInt8]) -> [UInt8] {
        guard s.contains(UInt8(ascii: "<")), s.contains(UInt8(ascii: ">")) else { return s }
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            let atSegmentStart = i == 0 || s[i - 1] == .dot || s[i - 1] == .plus
            // The name between `<` and `>` is an identifier, so the search for `>` stops at the first non-identifier.
            guard atSegmentStart, s[i] == UInt8(ascii: "<") else {
                out.append(s[i])
                i += 1
                continue
            }
            var close = i + 1
            while close < s.count && s[close].isIdentifier { close += 1 }
            guard close + 1 < s.count, s[close] == UInt8(ascii: ">") else {
                out.append(s[i])
                i += 1
                continue
            }
            let name = s[(i + 1)..<close]
            let kind = s[close + 1]
            let isStateMachineOrLambda = (kind == UInt8(ascii: "d") || kind == UInt8(ascii: "b") || kind == UInt8(ascii: "g"))
                && s.hasPrefix(Marker.underscores, at: close + 2)
            guard isStateMachineOrLambda || (kind == UInt8(ascii: "c") && name.isEmpty) else {
                out.append(s[i])
                i += 1
                continue
            }
            // Skip the rest of the generated segment (`d__12`, `b__0_0`, `g__Local|3_0`, `c__DisplayClass2_0`).
            var local: ArraySlice<UInt8> = []
            var j = close + 2
            if s.hasPrefix(Marker.underscores, at: j) { j += 2 }
            let localStart = j
            while j < s.count && s[j] != .dot && s[j] != .plus { j += 1 }
            if kind == UInt8(ascii: "g"), let bar = s[localStart..<j].firstIndex(of: UInt8(ascii: "|")) {
                local = s[localStart..<bar]
            }
            if name.isEmpty {
                // Display class: drop the segment and its separator.
                if out.last == .dot || out.last == .plus { out.removeLast() }
                i = j
                if i < s.count && out.isEmpty { i += 1 }
                continue
            }
            out.append(contentsOf: name)
            if kind == UInt8(ascii: "b") {
                out.append(contentsOf: Marker.lambdaSuffix)
            } else if kind == UInt8(ascii: "g") && !local.isEmpty {
                out.append(.dot)
                out.append(contentsOf: local)
            }
            i = j
            if kind == UInt8(ascii: "d"), s.hasPrefix(Marker.moveNext, at: i) { i += Marker.moveNext.count }
        }
        return out
    }

    private static func hexLiteralEnd(_ s: [UInt8], from start: Int) -> Int? {
        guard start + 2 < s.count, s[start] == UInt8(ascii: "0"), s[start + 1] | 0x20 == UInt8(ascii: "x"), s[start + 2].isHexDigit else {
            return nil
        }
        // Only a literal that starts a token: `v0x1` or `abc0x12` are names.
        if start > 0 && s[start - 1].isIdentifier && s[start - 1] != .dollar { return nil }
        var end = start + 2
        while end < s.count && s[end].isHexDigit { end += 1 }
        return end
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace (no copy when there is none).
    var trimmingSpaces: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last, first.isSpace || last.isSpace else { return self }
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end && utf8[start].isSpace { start = utf8.index(after: start) }
        while end > start && utf8[utf8.index(before: end)].isSpace { end = utf8.index(before: end) }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }
}

private extension Array where Element == UInt8 {
    func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index + prefix.count <= count else { return false }
        for k in 0..<prefix.count where self[index + k] != prefix[k] { return false }
        return true
    }
}

private extension UInt8 {
    static let dollar = UInt8(ascii: "$")
    static let dot = UInt8(ascii: ".")
    static let slash = UInt8(ascii: "/")
    static let backslash = UInt8(ascii: "\\")
    static let colon = UInt8(ascii: ":")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")

    var isSpace: Bool { self == 0x20 || (self >= 0x09 && self <= 0x0D) }
    var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isHexDigit: Bool { isDigit || ((self | 0x20) >= 0x61 && (self | 0x20) <= 0x66) }
    var isIdentifier: Bool { isDigit || ((self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A) || self == 0x5F || self == 0x24 || self >= 0x80 }
}
