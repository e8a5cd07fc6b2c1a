import FaultlineCore
import Foundation
import Testing

/// Every trace the parsers' fixtures hold (Tests/Fixtures/stacks, printed by real runtimes or taken from
/// public documentation for .NET and C++), redeployed: each line number shifted as an edit above it
/// would shift it, and the install path moved into a release directory. The fingerprint must not move.
@Suite struct GroupingInvarianceTests {
    static let stacks = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/stacks")

    static let fixtures: [String] = {
        let directories = (try? FileManager.default.contentsOfDirectory(atPath: stacks.path)) ?? []
        return directories.sorted().flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: stacks.appendingPathComponent(directory).path)) ?? [])
                .filter { $0.hasSuffix(".txt") }.sorted().map { "\(directory)/\($0)" }
        }
    }()

    @Test func everyLanguageHasFixtures() {
        let languages = Set(Self.fixtures.map { $0.split(separator: "/")[0] })
        #expect(languages.isSuperset(of: ["python", "java", "go", "node", "ruby", "dotnet", "php", "cpp"]), "\(languages)")
    }

    @Test(arguments: fixtures)
    func redeployKeepsTheFingerprint(fixture: String) throws {
        let text = try String(contentsOf: Self.stacks.appendingPathComponent(fixture), encoding: .utf8)
        let tag = Language(tag: String(fixture.split(separator: "/")[0]))?.rawValue
        let moved = Self.redeployed(text)
        #expect(moved != text)
        let before = Grouper().group(event(text, tag))
        let after = Grouper().group(event(moved, tag))
        #expect(before.fingerprint.value == after.fingerprint.value, "\(before.fingerprint.parts) vs \(after.fingerprint.parts)")
        // The parse really differs in lines, and frames really took part.
        let linesBefore = before.stackTrace.exceptions.flatMap(\.frames).compactMap(\.line)
        let linesAfter = after.stackTrace.exceptions.flatMap(\.frames).compactMap(\.line)
        #expect(linesBefore.isEmpty || linesBefore != linesAfter)
        #expect(before.fingerprint.parts.contains { $0.hasPrefix("frame:") }, "\(before.fingerprint.parts)")
    }

    private func event(_ stack: String, _ language: String?) -> ErrorEvent {
        ErrorEvent(traceID: "1", spanID: "2", service: "shop", errorType: "", errorMessage: "", errorStack: stack, language: language)
    }

    /// Adds 7 to every number printed after `:`, `(` or `line ` (lines and columns in every runtime's
    /// format) and moves install roots into a dated release directory.
    static func redeployed(_ text: String) -> String {
        var moved = text
            .replacingOccurrences(of: "/tmp/faultline-fixtures/", with: "/srv/releases/20261101/9fceb02/")
            .replacingOccurrences(of: "C:\\build\\agent\\_work\\1\\s\\", with: "D:\\a\\1\\s\\")
        let bytes = Array(moved.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let afterMarker = i > 0 && (bytes[i - 1] == UInt8(ascii: ":") || bytes[i - 1] == UInt8(ascii: "("))
                || (i >= 5 && Array(bytes[(i - 5)..<i]) == Array("line ".utf8))
            if afterMarker, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                var j = i
                while j < bytes.count && bytes[j] >= 0x30 && bytes[j] <= 0x39 { j += 1 }
                if let number = Int(String(decoding: bytes[i..<j], as: UTF8.self)) {
                    out.append(contentsOf: String(number + 7).utf8)
                    i = j
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        moved = String(decoding: out, as: UTF8.self)
        return moved
    }
}
