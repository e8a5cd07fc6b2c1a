import FaultlineServer
import FaultlineStore
import Foundation
import Testing

/// `faultline tokens create|list|revoke` through the real binary, on a store it works on directly.
@Suite("faultline tokens", .serialized)
struct TokensCLITests {
    @Test("create prints the secret once; list never shows it; revoke ends it; bad input exits non-zero")
    func lifecycle() async throws {
        let directory = try CLIEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let created = try await CLIEnvironment.faultline(["tokens", "create", "--name", "grafana", "--scope", "read", "--data-dir", directory.path])
        #expect(created.status == 0, "\(created.stderr)")
        let lines = created.stdout.split(separator: "\n")
        #expect(lines.first == "Created token 1 'grafana' (read).")
        let secret = try #require(lines.dropFirst().first.flatMap { $0.split(separator: " ").last.map(String.init) })
        #expect(secret.hasPrefix("flt_") && secret.count == 47)

        let json = try await CLIEnvironment.faultline(["tokens", "create", "--name", "ci", "--scope", "ADMIN", "--json", "--data-dir", directory.path])
        #expect(json.status == 0, "\(json.stderr)")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let response = try decoder.decode(TokenCreatedResponse.self, from: Data(json.stdout.utf8))
        #expect(response.token.id == 2 && response.token.scope == .admin && response.token.secret.hasPrefix("flt_"))

        let list = try await CLIEnvironment.faultline(["tokens", "list", "--data-dir", directory.path])
        #expect(list.status == 0)
        let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["ID", "NAME", "SCOPE", "CREATED", "LAST", "USED", "STATE"])
        #expect(rows.dropFirst().map { [$0[0], $0[1], $0[2], $0.last ?? ""] } == [["1", "grafana", "read", "active"], ["2", "ci", "admin", "active"]])
        #expect(!list.stdout.contains(secret) && !list.stdout.contains(response.token.secret))

        let revoke = try await CLIEnvironment.faultline(["tokens", "revoke", "1", "--data-dir", directory.path])
        #expect(revoke.status == 0 && revoke.stdout == "Revoked token 1 'grafana'.\n")
        let again = try await CLIEnvironment.faultline(["tokens", "revoke", "1", "--data-dir", directory.path])
        #expect(again.status == 0 && again.stdout == "Token 1 'grafana' was already revoked.\n")
        let store = try StoreOpener.open(dataDirectory: directory.path)
        #expect(try await store.token(secret: secret) == nil)
        #expect(try await store.token(secret: response.token.secret)?.name == "ci")
        let audit = try await store.auditEntries(limit: 10).entries
        #expect(audit.map(\.action) == ["tokens revoke 1 (grafana)", "tokens create 2 (ci, admin)", "tokens create 1 (grafana, read)"])
        #expect(audit.allSatisfy { $0.actor == .cli })

        let listed = try await CLIEnvironment.faultline(["tokens", "list", "--json", "--data-dir", directory.path])
        let tokens = try decoder.decode(TokenListResponse.self, from: Data(listed.stdout.utf8)).tokens
        #expect(tokens.map { $0.revokedAt != nil } == [true, false])

        for arguments in [["revoke", "99"], ["revoke", "0"], ["create", "--name", "x", "--scope", "root"], ["create", "--name", " ", "--scope", "read"]] {
            let failed = try await CLIEnvironment.faultline(["tokens"] + arguments + ["--data-dir", directory.path])
            #expect(failed.status != 0, "\(arguments)")
            #expect(!failed.stderr.isEmpty, "\(arguments)")
        }
        let unknown = try await CLIEnvironment.faultline(["tokens", "revoke", "99", "--data-dir", directory.path])
        #expect(unknown.stderr.contains("no token 99"))
    }
}
