import Foundation
import Testing

/// `repos link --map` refuses a mapping that climbs out of the repository or names an absolute source root,
/// with a message and a non-zero exit, and stores nothing.
@Suite("repos link path mappings")
struct ReposLinkValidationTests {
    @Test(arguments: ["/app=../../etc", "/app=/etc", "/app/../..=src", "/app=src/../../../root", "/app=C:\\Windows"])
    func badMappingsAreRefused(map: String) async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let refused = try await CLIEnvironment.faultline([
            "repos", "link", "shop", "https://github.com/acme/shop", "--map", map, "--data-dir", directory.path,
        ])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("path mapping"), "\(refused.stderr)")
        let list = try await CLIEnvironment.faultline(["repos", "list", "--json", "--data-dir", directory.path])
        #expect(list.status == 0)
        #expect(!list.stdout.contains("acme/shop"), "\(list.stdout)")
    }

    @Test func aRelativeSourceRootIsLinked() async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let linked = try await CLIEnvironment.faultline([
            "repos", "link", "shop", "https://github.com/acme/shop", "--map", "/app=src/shop", "--data-dir", directory.path,
        ])
        #expect(linked.status == 0, "\(linked.stderr)")
    }
}
