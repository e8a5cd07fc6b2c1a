import FaultlineCore
import FaultlineStore
import Foundation
import GRDB
import Testing

@Suite("API tokens, sessions and audit in the store")
struct TokenStoreTests {
    @Test("a token's secret is handed out once and stored only as its SHA-256 hash")
    func tokenHash() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let created = try await temporary.store.createToken(name: " ci ", scope: .write, by: .cli)
        #expect(created.token.name == "ci" && created.token.scope == .write && created.token.createdBy == .cli)
        #expect(created.secret.hasPrefix("flt_") && created.secret.count == 47)
        let other = try await temporary.store.createToken(name: "ci", scope: .write, by: .cli)
        #expect(other.secret != created.secret)

        let queue = try DatabaseQueue(path: temporary.configuration.databaseURL.path)
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_token ORDER BY id") }
        #expect(rows.count == 2)
        let stored: String = rows[0]["secret_hash"]
        #expect(stored == SecretDigest.sha256Hex(created.secret) && stored.count == 64)
        for row in rows { for value in row.databaseValues { #expect(!value.description.contains(created.secret)) } }

        #expect(try await temporary.store.token(secret: created.secret)?.id == created.token.id)
        #expect(try await temporary.store.token(secret: created.secret + "x") == nil)
        #expect(try await temporary.store.token(secret: stored) == nil, "the hash is not a credential")
    }

    @Test("revoking is immediate, ends the token's sessions, and happens once")
    func revoke() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = temporary.store
        let created = try await store.createToken(name: "dash", scope: .read, by: .cli)
        #expect(try await store.hasLiveTokens())
        let session = try #require(try await store.createSession(for: .token(id: created.token.id)))
        #expect(try await store.session(secret: session.secret, apiToken: nil)?.actor == created.token.actor)
        guard case .revoked(let token) = try await temporary.reopen().revokeToken(id: created.token.id, by: .cli) else {
            throw StoreError(.invalidArgument, operation: "test", detail: "not revoked")
        }
        #expect(token.revokedAt != nil)
        #expect(try await store.token(secret: created.secret) == nil)
        #expect(try await store.session(secret: session.secret, apiToken: nil) == nil)
        #expect(try await store.createSession(for: .token(id: created.token.id)) == nil)
        #expect(try await !store.hasLiveTokens())
        guard case .alreadyRevoked = try await store.revokeToken(id: created.token.id, by: .cli) else {
            throw StoreError(.invalidArgument, operation: "test", detail: "revoked twice")
        }
        guard case .notFound = try await store.revokeToken(id: 999, by: .cli) else {
            throw StoreError(.invalidArgument, operation: "test", detail: "unknown token revoked")
        }
        let audit = try await store.auditEntries(limit: 10)
        #expect(audit.entries.map(\.action) == ["tokens revoke \(created.token.id) (dash)", "tokens create \(created.token.id) (dash, read)"])
        #expect(audit.entries.allSatisfy { $0.actor == .cli && $0.status == nil })
    }

    @Test("sessions end 7 days idle and 30 days after sign-in; use keeps them alive until then")
    func sessionExpiry() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = temporary.store
        let day: TimeInterval = 86400
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let idle = try #require(try await store.createSession(for: .apiToken("t0ken"), now: start))
        #expect(try await store.session(secret: idle.secret, apiToken: "t0ken", now: start.addingTimeInterval(6.9 * day)) != nil)
        #expect(try await store.session(secret: idle.secret, apiToken: "t0ken", now: start.addingTimeInterval(13.8 * day)) != nil)
        #expect(try await store.session(secret: idle.secret, apiToken: "t0ken", now: start.addingTimeInterval(21 * day)) == nil)

        let used = try #require(try await store.createSession(for: .apiToken("t0ken"), now: start))
        for days in [6.0, 12, 18, 24, 29.9] {
            #expect(try await store.session(secret: used.secret, apiToken: "t0ken", now: start.addingTimeInterval(days * day)) != nil, "day \(days)")
        }
        #expect(try await store.session(secret: used.secret, apiToken: "t0ken", now: start.addingTimeInterval(30.1 * day)) == nil)

        let bound = try #require(try await store.createSession(for: .apiToken("t0ken"), now: start))
        #expect(try await store.session(secret: bound.secret, apiToken: "other", now: start) == nil)
        #expect(try await store.session(secret: bound.secret, apiToken: nil, now: start) == nil)
        #expect(try await store.deleteSession(secret: bound.secret))
        #expect(try await store.session(secret: bound.secret, apiToken: "t0ken", now: start) == nil)
        #expect(try await !store.deleteSession(secret: bound.secret))

        let queue = try DatabaseQueue(path: temporary.configuration.databaseURL.path)
        let hashes = try await queue.read { db in try String.fetchAll(db, sql: "SELECT id_hash FROM api_session") }
        #expect(hashes.contains(SecretDigest.sha256Hex(used.secret)) && !hashes.contains(used.secret))
    }

    @Test("actors survive the status history's round trip")
    func actorColumn() async throws {
        for actor in [AuditActor.cli, .apiToken, .anonymous, .token(id: 12, name: "a:b c")] {
            let temporary = try TemporaryStore()
            defer { temporary.remove() }
            _ = try await temporary.store.ingest([EventFactory.event()])
            let issue = try #require(try await temporary.store.issues(IssueListRequest()).issues.first)
            _ = try await temporary.store.setStatus(issueID: issue.id, to: .resolved, actor: actor)
            let detail = try #require(try await temporary.store.issue(id: issue.id))
            #expect(detail.statusHistory.last?.actor == actor)
            #expect(detail.statusHistory.first?.actor == nil)
        }
    }
}
