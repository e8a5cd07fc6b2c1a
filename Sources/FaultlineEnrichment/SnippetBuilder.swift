import FaultlineCore
import Foundation

/// One line of a snippet.
public struct SnippetLine: Sendable, Hashable, Codable {
    /// 1-based line number in the file.
    public var line: Int
    public var text: String
    /// True for the frame's own line.
    public var highlight: Bool

    public init(line: Int, text: String, highlight: Bool) {
        self.line = line
        self.text = text
        self.highlight = highlight
    }
}

/// Builds the lines around a frame and a permalink to them at the commit.
public struct SnippetBuilder: Sendable {
    /// Lines of context on each side of the frame's line.
    public var contextLines: Int

    public init(contextLines: Int = 5) {
        self.contextLines = max(0, contextLines)
    }

    /// The frame's line and its context, or nil when `line` is outside the file.
    public func snippet(of file: SourceFile, line: Int) -> [SnippetLine]? {
        guard line >= 1, line <= file.lines.count else { return nil }
        let first = max(1, line - contextLines)
        let last = min(file.lines.count, line + contextLines)
        var result: [SnippetLine] = []
        result.reserveCapacity(last - first + 1)
        for number in first...last {
            result.append(SnippetLine(line: number, text: file.lines[number - 1], highlight: number == line))
        }
        return result
    }

    /// A link to `path` at `line` in `commit` on the repository's forge; nil for hosts we do not know.
    public static func permalink(repository: RepositoryURL, commit: String, path: String, line: Int?) -> String? {
        guard let forge = repository.forge, let base = repository.webURL else { return nil }
        let encodedPath = path.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? path
        switch forge {
        case .github:
            return "\(base)/blob/\(commit)/\(encodedPath)" + (line.map { "#L\($0)" } ?? "")
        case .gitlab:
            return "\(base)/-/blob/\(commit)/\(encodedPath)" + (line.map { "#L\($0)" } ?? "")
        case .bitbucket:
            return "\(base)/src/\(commit)/\(encodedPath)" + (line.map { "#lines-\($0)" } ?? "")
        case .azureDevOps:
            var link = "\(base)?path=/\(encodedPath)&version=GC\(commit)"
            if let line {
                link += "&line=\(line)&lineEnd=\(line + 1)&lineStartColumn=1&lineEndColumn=1&lineStyle=plain&_a=contents"
            }
            return link
        }
    }

    private static let pathAllowed: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#&=;")
        return allowed
    }()
}
