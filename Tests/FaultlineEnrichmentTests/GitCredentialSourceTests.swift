import FaultlineCore
@testable import FaultlineEnrichment
import FaultlineGit
import FaultlineTestSupport
import Foundation
import Testing

/// A git token goes only to the host it is configured for, and only over https.
@Suite("Git credential scoping")
struct GitCredentialSourceTests {
    static let token = "ghp_scopedTOKEN42"

    @Test(arguments: [
        ("https://git.acme.dev/acme/shop.git", true),
        ("https://git.acme.dev:8443/acme/shop.git", true),
        ("http://git.acme.dev/acme/shop.git", false),
        ("https://github.com/acme/shop.git", false),
        ("https://git.acme.dev.evil.example/acme/shop.git", false),
        ("git://git.acme.dev/acme/shop.git", false),
    ])
    func aTokenGoesOnlyToItsHostOverHTTPS(url: String, offered: Bool) throws {
        let source = GitCredentialSource(httpsTokens: ["git.acme.dev": Self.token])
        let credentials = source.credentials(for: try RepositoryURL(url))
        #expect((credentials == .token(username: "x-access-token", token: Self.token)) == offered)
        #expect(offered || credentials == nil)
    }

    @Test func aTokenWithoutHostsGoesToTheHostsOfExplicitHTTPSPatternsOnly() {
        let hosts = GitCredentialSource.tokenHosts(explicitPatterns: [
            "https://git.acme.dev/acme/*", "https://GIT.acme.dev/other/*", "https://*.example.com/*", "http://plain.example/*",
            "https://127.0.0.1:9/*", "file:///srv/git/*", "*",
        ])
        #expect(hosts == ["git.acme.dev", "127.0.0.1"])
        #expect(GitCredentialSource.tokenHosts(explicitPatterns: RepositoryAllowList.defaultPatterns).count == RepositoryAllowList.defaultPatterns.count)
    }

    @Test func theEnvironmentTokenNeedsItsHosts() throws {
        let unscoped = GitCredentialSource.fromEnvironment(["FAULTLINE_GIT_TOKEN": Self.token])
        #expect(unscoped.httpsTokens.isEmpty)
        #expect(unscoped.credentials(for: try RepositoryURL("https://github.com/acme/shop.git")) == nil)
        let scoped = GitCredentialSource.fromEnvironment(["FAULTLINE_GIT_TOKEN": Self.token, "FAULTLINE_GIT_TOKEN_HOSTS": "github.com, git.acme.dev"])
        #expect(scoped.httpsTokens == ["github.com": Self.token, "git.acme.dev": Self.token])
    }

    @Test func noTokenCrossesPlainHTTPAndTheFailureSaysWhy() async throws {
        let shop = try ShopRepository()
        let server = try UnauthorizedHTTPServer()
        defer { server.stop() }
        var configuration = shop.configuration()
        configuration.allowList = RepositoryAllowList(patterns: ["http://127.0.0.1:*"])
        configuration.credentials = GitCredentialSource(httpsTokens: ["127.0.0.1": Self.token])
        let store = MirrorStore(configuration: configuration)
        let url = try RepositoryURL("http://127.0.0.1:\(server.port)/acme/shop.git")
        do {
            _ = try await store.prepare(url, commit: shop.first)
            Issue.record("a server answering 401 produced a mirror")
        } catch {
            #expect(error.reason.contains("none are configured for this repository's host"))
            #expect(!error.reason.contains("no callback set"))
        }
        #expect(server.requestCount >= 1)
        #expect(server.authorizedRequestCount == 0)
    }
}
