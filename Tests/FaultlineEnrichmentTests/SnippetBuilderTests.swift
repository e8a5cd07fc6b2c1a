import FaultlineCore
@testable import FaultlineEnrichment
import Foundation
import Testing

@Suite("Snippets and permalinks")
struct SnippetBuilderTests {
    static let file = SourceFile(path: "app/x.py", text: (1...20).map { "line \($0)" }.joined(separator: "\r\n") + "\r\n", isBinary: false)

    @Test func contextAroundTheLineWithTheLineMarked() throws {
        let snippet = try #require(SnippetBuilder().snippet(of: Self.file, line: 10))
        #expect(snippet.map(\.line) == Array(5...15))
        #expect(snippet.map(\.text) == (5...15).map { "line \($0)" })
        #expect(snippet.filter(\.highlight).map(\.line) == [10])
    }

    @Test func contextIsClippedAtTheEdgesAndConfigurable() throws {
        #expect(SnippetBuilder(contextLines: 2).snippet(of: Self.file, line: 1)?.map(\.line) == [1, 2, 3])
        #expect(SnippetBuilder(contextLines: 2).snippet(of: Self.file, line: 20)?.map(\.line) == [18, 19, 20])
        #expect(SnippetBuilder(contextLines: 0).snippet(of: Self.file, line: 7)?.map(\.text) == ["line 7"])
        #expect(SnippetBuilder().snippet(of: Self.file, line: 21) == nil)
        #expect(SnippetBuilder().snippet(of: Self.file, line: 0) == nil)
        #expect(Self.file.lines.count == 20)
    }

    @Test(arguments: [
        ("https://github.com/acme/shop.git", "https://github.com/acme/shop/blob/abc123/src/a%20b.py#L12"),
        ("git@gitlab.com:group/sub/proj.git", "https://gitlab.com/group/sub/proj/-/blob/abc123/src/a%20b.py#L12"),
        ("https://bitbucket.org/acme/shop", "https://bitbucket.org/acme/shop/src/abc123/src/a%20b.py#lines-12"),
        ("https://acme@dev.azure.com/acme/Shop/_git/web", "https://dev.azure.com/acme/Shop/_git/web?path=/src/a%20b.py&version=GCabc123&line=12&lineEnd=13&lineStartColumn=1&lineEndColumn=1&lineStyle=plain&_a=contents"),
    ])
    func permalinksPerForge(url: String, expected: String) throws {
        #expect(SnippetBuilder.permalink(repository: try RepositoryURL(url), commit: "abc123", path: "src/a b.py", line: 12) == expected)
    }

    @Test func noPermalinkForOtherHosts() throws {
        for url in ["https://git.example.com/acme/shop", "/srv/git/shop.git", "git://127.0.0.1:9418/shop.git"] {
            #expect(SnippetBuilder.permalink(repository: try RepositoryURL(url), commit: "abc", path: "a.py", line: 1) == nil)
        }
    }

    @Test func frameSourceEncodesSnakeCaseKeys() throws {
        let source = FrameSource(
            repositoryURL: "https://github.com/acme/shop", commitSHA: "abc", path: "a.py", line: 3, status: .lineOutOfRange,
            reason: "r", url: nil, snippet: [SnippetLine(line: 3, text: "x", highlight: true)],
            suspectCommit: SuspectCommit(sha: "def", authorName: "Ada", authorEmail: "ada@example.com", authoredAt: Date(timeIntervalSince1970: 1_709_294_400), summary: "s", path: "a.py", line: 3)
        )
        let data = try JSONEncoder().encode(source)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["repositoryURL", "commitSHA", "path", "line", "status", "reason", "url", "snippet", "suspectCommit"])
        #expect(object["url"] is NSNull)
        #expect(object["status"] as? String == "line_out_of_range")
        let suspect = try #require(object["suspectCommit"] as? [String: Any])
        #expect(suspect["authoredAt"] as? String == "2024-03-01T12:00:00Z")
        #expect(suspect["authorName"] as? String == "Ada")
        #expect(try JSONDecoder().decode(FrameSource.self, from: data) == source)
    }
}
