import FaultlineGit
import FaultlineTestSupport
import Foundation
import Testing

/// A host that refuses the token, or asks for one when none is configured, gets an error that says so
/// (libgit2 alone reports "no callback set").
@Suite("Git credentials refused")
struct GitCredentialRejectionTests {
    @Test func aRejectedTokenIsReportedAsRejected() throws {
        let server = try UnauthorizedHTTPServer()
        defer { server.stop() }
        let fixture = try GitFixture()
        let url = "http://127.0.0.1:\(server.port)/acme/shop.git"
        do {
            _ = try GitRepository.cloneMirror(
                from: url, into: fixture.path("mirror.git"),
                options: GitTransferOptions(credentials: .token(username: "x-access-token", token: "ghp_rejected123")))
            Issue.record("a clone from a server that answers 401 succeeded")
        } catch let error as GitError {
            #expect(error.kind == .authentication)
            #expect(error.message == "the server rejected the configured credentials")
            #expect(!error.description.contains("no callback set"))
            #expect(!error.description.contains("ghp_rejected123"))
        }
        // The token was offered (and refused) before the clone gave up.
        #expect(server.authorizedRequestCount >= 1)
    }

    @Test func aHostAskingForCredentialsWithNoneConfiguredSaysSo() throws {
        let server = try UnauthorizedHTTPServer()
        defer { server.stop() }
        let fixture = try GitFixture()
        do {
            _ = try GitRepository.cloneMirror(from: "http://127.0.0.1:\(server.port)/acme/shop.git", into: fixture.path("mirror.git"))
            Issue.record("a clone from a server that answers 401 succeeded")
        } catch let error as GitError {
            #expect(error.kind == .authentication)
            #expect(error.message.hasPrefix("the server asks for credentials and none are configured"))
        }
        #expect(server.requestCount >= 1)
        #expect(server.authorizedRequestCount == 0)
    }
}
