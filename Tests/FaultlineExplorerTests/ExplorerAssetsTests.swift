import Foundation
import Testing

@testable import FaultlineExplorer

/// The asset files on disk, found from this file's path (Tests/FaultlineExplorerTests/ → package root).
private let assetsDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Sources/FaultlineExplorer/Assets")

private func assetFiles() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: assetsDirectory.path)
        .filter { !$0.hasPrefix(".") }
        .sorted()
}

private func read(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: assetsDirectory.appendingPathComponent(name)))
}

@Suite("Explorer assets")
struct ExplorerAssetsTests {
    @Test("the generated EmbeddedAssets.swift holds exactly the asset files (run scripts/embed-assets)")
    func embeddedMatchesFiles() throws {
        let files = try assetFiles()
        #expect(files.contains("index.html") && files.contains("app.js") && files.contains("app.css"))
        #expect(ExplorerAssets.paths == ["/"] + files.map { "/" + $0 })
        for name in files {
            let served = try #require(ExplorerAssets.asset(path: "/" + name), "\(name) is not embedded")
            #expect(served.body == (try read(name)), "\(name) differs from its embedded copy")
        }
    }

    @Test("URL paths map to assets with their content types", arguments: [
        ("/", "text/html; charset=utf-8"),
        ("", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "text/css; charset=utf-8"),
        ("/app.js?v=2", "text/javascript; charset=utf-8"),
    ])
    func contentTypes(path: String, contentType: String) throws {
        let asset = try #require(ExplorerAssets.asset(path: path))
        #expect(asset.contentType == contentType)
        #expect(!asset.body.isEmpty)
    }

    @Test("paths outside the asset set are not served", arguments: [
        "/missing.js", "/../Package.swift", "/Assets/app.js", "/api/v1/issues", "/app.js/", "/EmbeddedAssets.swift",
    ])
    func unknownPaths(path: String) {
        #expect(ExplorerAssets.asset(path: path) == nil)
    }

    @Test("ETags are quoted, differ between assets and follow the bytes")
    func etags() throws {
        let names = try assetFiles()
        let tags = names.compactMap { ExplorerAssets.entry(path: "/" + $0)?.etag }
        #expect(tags.count == names.count)
        #expect(Set(tags).count == tags.count)
        for tag in tags { #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"")) }
        let body = try read("app.js")
        #expect(ExplorerAssets.etag(of: body) == ExplorerAssets.entry(path: "/app.js")?.etag)
        #expect(ExplorerAssets.etag(of: body + [0x0a]) != ExplorerAssets.etag(of: body))
    }

    @Test("assets reference nothing outside the server: no CDN, fonts or remote scripts")
    func noExternalReferences() throws {
        for name in try assetFiles() {
            let text = String(decoding: try read(name), as: UTF8.self)
            var rest = Substring(text)
            while let range = rest.range(of: "://") {
                let start = rest[..<range.lowerBound].lastIndex(where: { !$0.isLetter }).map { rest.index(after: $0) } ?? rest.startIndex
                let url = rest[start...].prefix { !$0.isWhitespace && $0 != "\"" && $0 != "'" && $0 != ")" }
                // The SVG namespace is an identifier the browser never fetches.
                #expect(url == "http://www.w3.org/2000/svg", "\(name) refers to \(url)")
                rest = rest[range.upperBound...]
            }
            #expect(!text.contains("@import"), "\(name) imports a stylesheet")
            #expect(!text.contains("src=\"//") && !text.contains("href=\"//"), "\(name) has a protocol-relative URL")
        }
    }
}
