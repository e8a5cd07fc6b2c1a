import ArgumentParser
import FaultlineServer
import FaultlineStore
import Foundation

/// `faultline tokens`: make, list and revoke scoped API tokens (works on the store directly, also while the server runs).
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create, list and revoke API tokens (read, write or admin).",
        discussion: """
            read may only read the API; write may also change issues, links and monitors; admin may also manage \
            tokens and read the audit list. Once a token exists, the API needs one (the explorer shows a sign-in \
            page). Only a SHA-256 hash of each secret is stored: the secret is printed once, at creation. A \
            revoked token, and every explorer session signed in with it, stops working at once.
            """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a token and print its secret (shown only now).")

        @OptionGroup var store: StoreOptions

        @Option(help: "What the token is for, e.g. 'ci' or 'grafana'.")
        var name: String

        @Option(help: "read, write or admin.")
        var scope: String

        @Flag(help: "Print JSON ({\"token\": {\"id\", \"name\", \"scope\", \"secret\", \"createdAt\"}}, as POST /api/v1/tokens answers).")
        var json = false

        func validate() throws {
            guard TokenScope(rawValue: scope.lowercased()) != nil else {
                throw ValidationError("--scope must be one of \(TokenScope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.count <= IssueStore.maxTokenNameLength else {
                throw ValidationError("--name must be 1-\(IssueStore.maxTokenNameLength) characters")
            }
        }

        func run() async throws {
            let issueStore = try CommandSupport.openStore(store)
            let created: CreatedAPIToken
            do {
                created = try await issueStore.createToken(name: name, scope: TokenScope(rawValue: scope.lowercased()) ?? .read, by: .cli)
            } catch let error as StoreError where error.kind == .invalidArgument {
                throw CommandFailure(error.detail)
            }
            let token = created.token
            if json {
                try CommandSupport.printJSON(TokenCreatedResponse(created))
                return
            }
            print("Created token \(token.id) '\(token.name)' (\(token.scope.rawValue)).")
            print("Secret, shown only now: \(created.secret)")
            print("Send it as 'Authorization: Bearer <secret>', or sign in to the explorer with it.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never their secrets), revoked ones too.")

        @OptionGroup var store: StoreOptions

        @Flag(help: "Print JSON (the API's GET /api/v1/tokens).")
        var json = false

        func run() async throws {
            let tokens = try await CommandSupport.openStore(store).tokens()
            if json {
                try CommandSupport.printJSON(TokenListResponse(tokens: tokens))
                return
            }
            print(TokensCommand.render(tokens), terminator: "")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token: it and its explorer sessions stop working at once.")

        @OptionGroup var store: StoreOptions

        @Argument(help: "Token id (from tokens list).")
        var id: Int64

        func validate() throws {
            guard id > 0 else { throw ValidationError("token id must be a positive integer") }
        }

        func run() async throws {
            switch try await CommandSupport.openStore(store).revokeToken(id: id, by: .cli) {
            case .notFound:
                throw CommandFailure("no token \(id)")
            case .alreadyRevoked(let token):
                print("Token \(token.id) '\(token.name)' was already revoked.")
            case .revoked(let token):
                print("Revoked token \(token.id) '\(token.name)'.")
            }
        }
    }

    static func render(_ tokens: [APIToken]) -> String {
        guard !tokens.isEmpty else { return "No tokens. Create one with: faultline tokens create --name NAME --scope read|write|admin\n" }
        let formatter = ISO8601DateFormatter()
        let header = ["ID", "NAME", "SCOPE", "CREATED", "LAST USED", "STATE"]
        let rows = tokens.map { token in
            [
                String(token.id), token.name, token.scope.rawValue, formatter.string(from: token.createdAt),
                token.lastUsedAt.map(formatter.string(from:)) ?? "never",
                token.revokedAt.map { "revoked \(formatter.string(from: $0))" } ?? "active",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { column, text in
                column == row.count - 1 ? text : text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
