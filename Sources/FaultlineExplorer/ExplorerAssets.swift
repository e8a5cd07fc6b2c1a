/// The web explorer's static files (HTML, CSS, JavaScript), compiled into the binary so an
/// installed `faultline` serves them without a resource directory.
public enum ExplorerAssets {
    /// One servable file.
    public struct Asset: Sendable, Hashable {
        /// File name under `Sources/FaultlineExplorer/Assets`, e.g. `app.js`.
        public var name: String
        /// `Content-Type` header value.
        public var contentType: String
        /// The file's bytes.
        public var body: [UInt8]
        /// A strong validator for `ETag`, derived from the bytes (quoted, ready for the header).
        public var etag: String
    }

    /// URL paths the explorer serves, `/` first.
    public static let paths: [String] = ["/"] + table.keys.sorted().map { "/" + $0 }

    /// The asset served at a URL path (`/`, `/index.html`, `/app.js`, `/app.css`), or nil.
    public static func asset(path: String) -> (contentType: String, body: [UInt8])? {
        guard let asset = entry(path: path) else { return nil }
        return (asset.contentType, asset.body)
    }

    /// The asset, with its ETag, served at a URL path, or nil.
    public static func entry(path: String) -> Asset? {
        var name = path
        if let query = name.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            name = String(name[..<query])
        }
        while name.hasPrefix("/") { name.removeFirst() }
        if name.isEmpty { name = "index.html" }
        return table[name]
    }

    private static let table: [String: Asset] = {
        var assets: [String: Asset] = [:]
        for file in embedded {
            let body = Array(file.text.utf8)
            assets[file.name] = Asset(name: file.name, contentType: file.contentType, body: body, etag: etag(of: body))
        }
        return assets
    }()

    /// FNV-1a 64 over the bytes: stable across processes (unlike `Hasher`), cheap, and only a
    /// cache validator, so collision resistance against an attacker is not needed.
    static func etag(of bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "-\(bytes.count)\""
    }
}
