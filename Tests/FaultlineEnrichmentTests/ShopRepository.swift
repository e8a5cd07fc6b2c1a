import FaultlineTestSupport
import FaultlineCore
import FaultlineEnrichment
import Foundation

/// A real repository with one file per language; the second commit shifts every line by three and renames the Node.js file.
struct ShopRepository {
    let fixture: GitFixture
    let first: String
    let second: String

    /// Files of the first commit (path → content); each holds exactly one line with `FAIL_HERE`.
    static let files: [String: String] = [
        "app/views.py": "import os\n\n\ndef checkout(request):\n    total = compute(request)\n    raise ValueError('FAIL_HERE')\n    return total\n",
        "app/utils.py": "def compute(x):\n    return 1  # FAIL_HERE\n",
        "tests/utils.py": "def helper():\n    pass  # FAIL_HERE\n",
        "src/main/java/com/acme/shop/Checkout.java": "package com.acme.shop;\n\npublic class Checkout {\n    public void process() {\n        throw new IllegalStateException(\"FAIL_HERE\");\n    }\n}\n",
        "go.mod": "module github.com/acme/shop\n\ngo 1.22\n",
        "internal/orders/orders.go": "package orders\n\nfunc Place() {\n\tpanic(\"FAIL_HERE\")\n}\n",
        "lib/server.js": "'use strict';\n\nfunction handle(req) {\n  throw new Error('FAIL_HERE');\n}\n\nmodule.exports = { handle };\n",
        "app/models/user.rb": "class User\n  def save!\n    raise ArgumentError, 'FAIL_HERE'\n  end\nend\n",
        "src/Shop/OrderService.cs": "namespace Shop;\n\npublic class OrderService\n{\n    public void Place() => throw new InvalidOperationException(\"FAIL_HERE\");\n}\n",
        "src/Controller/CartController.php": "<?php\n\nnamespace App\\Controller;\n\nclass CartController\n{\n    public function add() { throw new \\RuntimeException('FAIL_HERE'); }\n}\n",
    ]

    init() throws {
        fixture = try GitFixture(name: "shop")
        for (path, content) in Self.files { try fixture.write(path, content) }
        try fixture.write("assets/logo.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]))
        first = try fixture.commit("Initial shop", date: "2024-03-01T12:00:00Z")
        for (path, content) in Self.files {
            let header = path.hasSuffix(".php") ? "" : Self.comment(for: path)
            let shifted = path.hasSuffix(".php") ? content.replacingOccurrences(of: "<?php\n", with: "<?php\n// one\n// two\n// three\n") : header + content
            try fixture.write(path, shifted)
        }
        try FileManager.default.createDirectory(at: fixture.work.appendingPathComponent("lib/http"), withIntermediateDirectories: true)
        try fixture.git("mv", "lib/server.js", "lib/http/server.js", date: "2024-04-01T08:00:00Z")
        second = try fixture.commit("Shift lines, move server", date: "2024-04-01T08:00:00Z")
    }

    private static func comment(for path: String) -> String {
        let marker = path.hasSuffix(".py") || path.hasSuffix(".rb") || path.hasSuffix(".mod") ? "#" : "//"
        return "\(marker) one\n\(marker) two\n\(marker) three\n"
    }

    /// The 1-based line of `FAIL_HERE` in `path` at `sha`, read with `git show`.
    func failLine(_ path: String, at sha: String) throws -> Int {
        let lines = try fixture.show(sha, path).split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.contains("FAIL_HERE") }) else { throw FixtureError(message: "no FAIL_HERE in \(path)") }
        return index + 1
    }

    /// `git show SHA:PATH` split into lines.
    func lines(_ path: String, at sha: String) throws -> [String] {
        var lines = try fixture.show(sha, path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    var url: String { fixture.work.path }

    /// A mirror configuration allowing this fixture's directory.
    func configuration(mirrors: String = "repos") -> MirrorConfiguration {
        MirrorConfiguration(
            directory: fixture.root.appendingPathComponent(mirrors),
            allowList: RepositoryAllowList(patterns: ["file://\(fixture.root.path)/*"]),
            timeout: .seconds(60),
            retryAfter: .zero
        )
    }
}
