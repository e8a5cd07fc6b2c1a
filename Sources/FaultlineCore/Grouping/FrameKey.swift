import Foundation

/// The part of a frame that grouping hashes: its module (or file stem) and function, with the noise that
/// changes between builds removed — never its line, column or the path prefix of its file.
enum FrameKey {
    /// `module.function` for `frame`, or nil when the frame names nothing at all. `steps` grows with the
    /// bytes examined.
    static func of(_ frame: Frame, language: Language, steps: inout Int) -> String? {
        let function = frame.function.map { cleanFunction($0) }.flatMap { $0.isEmpty ? nil : $0 }
        var owner: String?
        if let module = frame.module?.trimmingSpaces, !module.isEmpty {
            owner = cleanModule(module, language: language)
        } else if let file = frame.file, !file.isEmpty {
            owner = fileStem(file)
        }
        if owner?.isEmpty == true { owner = nil }
        guard owner != nil || function != nil else { return nil }
        let joined = [owner, function ?? "?"].compactMap { $0 }.joined(separator: ".")
        steps += joined.utf8.count + 1
        return stripGeneratedNoise(joined)
    }

    // MARK: - Function names

    /// Removes wrappers the runtimes print around a function name.
    static func cleanFunction(_ raw: String) -> String {
        var name = raw.trimmingSpaces
        // Node: `async handler`, `new Widget`, `Layer.handle [as handle_request]`.
        for prefix in ["async ", "new "] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        if name.hasSuffix("]"), let open = name.range(of: " [as ", options: .backwards) {
            name = String(name[..<open.lowerBound])
        }
        // Ruby: `block (2 levels) in process`, `rescue in fetch`, `ensure in close`.
        while ["block", "rescue", "ensure"].contains(where: { name.hasPrefix($0) }), let range = name.range(of: " in ") {
            name = String(name[range.upperBound...])
        }
        return name.trimmingSpaces
    }

    // MARK: - Modules and files

    static func cleanModule(_ module: String, language: Language) -> String {
        if language == .go {
            // Module-cache paths carry the version: `github.com/acme/shop@v1.4.2/cart`.
            return removingGoVersions(module)
        }
        // Some runtimes name the module by its file; a JVM lambda class (`Foo$$Lambda/0x…`) or a PHP
        // namespace (`App\\Cart`) is no path.
        let utf8 = Array(module.utf8.prefix(3))
        let isWindowsPath = utf8.count == 3 && utf8[1] == UInt8(ascii: ":") && (utf8[2] == UInt8(ascii: "\\") || utf8[2] == UInt8(ascii: "/"))
        if module.hasPrefix("/") || module.hasPrefix("file:") || isWindowsPath {
            return fileStem(module)
        }
        return module
    }

    /// The file's name without directories, query, extension or build hashes (`main.3f2a91bc.js` → `main`).
    static func fileStem(_ path: String) -> String {
        var name = Substring(path)
        if let cut = name.firstIndex(where: { $0 == "?" || $0 == "#" }) { name = name[..<cut] }
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) { name = name[name.index(after: slash)...] }
        var pieces = name.split(separator: ".", omittingEmptySubsequences: false)
        if pieces.count > 1 { pieces.removeLast() }
        let kept = pieces.map { piece -> Substring in
            // `chunk-4f2a91bc` → `chunk`; a piece that is all build hash goes entirely.
            let dashed = piece.split(separator: "-", omittingEmptySubsequences: false).filter { !isBuildHash($0) }
            return Substring(dashed.joined(separator: "-"))
        }.filter { !$0.isEmpty }
        return kept.joined(separator: ".")
    }

    private static func isBuildHash(_ piece: Substring) -> Bool {
        piece.utf8.count >= 7 && piece.utf8.allSatisfy { $0.isHexDigit } && piece.utf8.contains { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func removingGoVersions(_ module: String) -> String {
        guard module.contains("@") else { return module }
        var out = ""
        var skipping = false
        for character in module {
            if character == "@" {
                skipping = true
            } else if character == "/" {
                skipping = false
                out.append(character)
            } else if !skipping {
                out.append(character)
            }
        }
        return out
    }

    // MARK: - Generated names

    /// Removes what compilers and runtimes generate and renumber between builds: Java lambda and anonymous
    /// class numbers, `$$Lambda$12/0x…`, CGLIB and Hibernate proxies, Scala `$anonfun$…$1`, .NET async state
    /// machines, lambdas and display classes, Go closure numbers, PHP closure lines, hex addresses.
    static func stripGeneratedNoise(_ name: String) -> String {
        var s = Array(name.utf8)
        s = removeDotNetCompilerNames(s)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            let b = s[i]
            // `$$Lambda$12/0x0000000800c0b440` and `$$Lambda/0x…` → `$$Lambda`.
            if b == .dollar, s.hasPrefix("$$Lambda", at: i) {
                out.append(contentsOf: Array("$$Lambda".utf8))
                i += 8
                while i < s.count && (s[i] == .dollar || s[i] == .slash || s[i].isHexDigit || s[i] == UInt8(ascii: "x")) { i += 1 }
                continue
            }
            // `$$EnhancerBySpringCGLIB$$1a2b`, `$$SpringCGLIB$$0`, `$HibernateProxy$x1Y` up to the next segment.
            if b == .dollar && (s.hasPrefix("$$", at: i) || s.hasPrefix("$HibernateProxy$", at: i)) {
                while i < s.count && s[i] != .dot { i += 1 }
                continue
            }
            // `Foo$1`, `lambda$run$0`, `$anonfun$apply$2`: the numbers are assigned in source order.
            if b == .dollar, i + 1 < s.count, s[i + 1].isDigit {
                var j = i + 1
                while j < s.count && s[j].isDigit { j += 1 }
                if j == s.count || s[j] == .dollar || s[j] == .dot {
                    i = j
                    continue
                }
            }
            // Go closures `handler.func1.2`, `gowrap1`, `deferwrap3` → `handler.func`.
            if b == .dot, let word = ["func", "gowrap", "deferwrap"].first(where: { s.hasPrefix(".\($0)", at: i) }),
               i + 1 + word.utf8.count < s.count, s[i + 1 + word.utf8.count].isDigit {
                out.append(contentsOf: Array(".\(word)".utf8))
                i += 1 + word.utf8.count
                while i < s.count && (s[i].isDigit || (s[i] == .dot && i + 1 < s.count && s[i + 1].isDigit)) { i += 1 }
                continue
            }
            // Addresses and offsets: `+0x1a`, `0x7ffd5e2c`.
            if (b == UInt8(ascii: "0") || b == UInt8(ascii: "+")), let end = hexLiteralEnd(s, from: b == UInt8(ascii: "+") ? i + 1 : i) {
                i = end
                continue
            }
            // PHP 8.4 closures name their line: `{closure:App\Cart::add():12}` → `{closure:App\Cart::add()}`.
            if b == .colon, i > 0, s[i - 1] == UInt8(ascii: ")") {
                var j = i + 1
                while j < s.count && s[j].isDigit { j += 1 }
                if j > i + 1, j < s.count, s[j] == UInt8(ascii: "}") {
                    i = j
                    continue
                }
            }
            // PHP anonymous classes: `class@anonymous%0/app/src/Foo.php:12$0` → `class@anonymous`.
            if b == UInt8(ascii: "@"), s.hasPrefix("@anonymous", at: i) {
                out.append(contentsOf: Array("@anonymous".utf8))
                i += 10
                // The generated tail (file, line, `$0`) ends at the `$N` counter; without one, at the segment end.
                var j = i
                while j + 1 < s.count && !(s[j] == .dollar && s[j + 1].isDigit) { j += 1 }
                if j + 1 < s.count {
                    j += 1
                    while j < s.count && s[j].isDigit { j += 1 }
                    i = j
                } else {
                    while i < s.count && s[i] != .dot && s[i] != UInt8(ascii: "-") { i += 1 }
                }
                continue
            }
            out.append(b)
            i += 1
        }
        for prefix in ["GeneratedMethodAccessor", "GeneratedConstructorAccessor", "GeneratedSerializationConstructorAccessor", "$Proxy"] {
            out = removeDigits(after: Array(prefix.utf8), in: out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `<ProcessAsync>d__12.MoveNext` → `ProcessAsync`, `<Main>b__0_0` → `Main.lambda`,
    /// `<Run>g__Local|3_0` → `Run.Local`, and `<>c` / `<>c__DisplayClass2_0` segments dropped.
    private static func removeDotNetCompilerNames(_ s: [UInt8]) -> [UInt8] {
        guard s.contains(UInt8(ascii: "<")), s.contains(UInt8(ascii: ">")) else { return s }
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            let atSegmentStart = i == 0 || s[i - 1] == .dot || s[i - 1] == UInt8(ascii: "+")
            guard atSegmentStart, s[i] == UInt8(ascii: "<"), let close = s[i...].firstIndex(of: UInt8(ascii: ">")) else {
                out.append(s[i])
                i += 1
                continue
            }
            let name = Array(s[(i + 1)..<close])
            guard name.allSatisfy({ $0.isIdentifier }), close + 1 < s.count else {
                out.append(s[i])
                i += 1
                continue
            }
            let kind = s[close + 1]
            let isStateMachineOrLambda = [UInt8(ascii: "d"), UInt8(ascii: "b"), UInt8(ascii: "g")].contains(kind)
                && s.hasPrefix("__", at: close + 2)
            guard isStateMachineOrLambda || (kind == UInt8(ascii: "c") && name.isEmpty) else {
                out.append(s[i])
                i += 1
                continue
            }
            // Skip the rest of the generated segment (`d__12`, `b__0_0`, `g__Local|3_0`, `c__DisplayClass2_0`).
            var local: [UInt8] = []
            var j = close + 2
            if s.hasPrefix("__", at: j) { j += 2 }
            let localStart = j
            while j < s.count && s[j] != .dot && s[j] != UInt8(ascii: "+") { j += 1 }
            if kind == UInt8(ascii: "g"), let bar = s[localStart..<j].firstIndex(of: UInt8(ascii: "|")) {
                local = Array(s[localStart..<bar])
            }
            if name.isEmpty {
                // Display class: drop the segment and its separator.
                if out.last == .dot || out.last == UInt8(ascii: "+") { out.removeLast() }
                i = j
                if i < s.count && out.isEmpty { i += 1 }
                continue
            }
            out.append(contentsOf: name)
            switch kind {
            case UInt8(ascii: "b"): out.append(contentsOf: Array(".lambda".utf8))
            case UInt8(ascii: "g") where !local.isEmpty: out.append(.dot); out.append(contentsOf: local)
            default: break
            }
            i = j
            if kind == UInt8(ascii: "d"), s.hasPrefix(".MoveNext", at: i) { i += 9 }
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

    private static func removeDigits(after prefix: [UInt8], in s: [UInt8]) -> [UInt8] {
        guard s.count > prefix.count else { return s }
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            if s.hasPrefix(prefix, at: i) {
                out.append(contentsOf: prefix)
                i += prefix.count
                while i < s.count && s[i].isDigit { i += 1 }
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[first...last])
    }
}

private extension Array where Element == UInt8 {
    func hasPrefix(_ prefix: String, at index: Int) -> Bool {
        hasPrefix(Array(prefix.utf8), at: index)
    }

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
    static let colon = UInt8(ascii: ":")

    var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isHexDigit: Bool { isDigit || ((self | 0x20) >= 0x61 && (self | 0x20) <= 0x66) }
    var isIdentifier: Bool { isDigit || ((self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A) || self == 0x5F || self == 0x24 || self >= 0x80 }
}
