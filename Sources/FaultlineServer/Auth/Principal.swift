import FaultlineStore

/// Who a request is from: the actor recorded for its changes, what its credential may do, and how it came.
public struct Principal: Sendable, Hashable {
    /// How the request proved who it is.
    public enum Credential: Sendable, Hashable {
        /// `Authorization: Bearer …`: scripts; no origin check (a page of another origin cannot set the header).
        case bearer
        /// The explorer's session cookie: state changes must come from the server's own origin.
        case session
        /// Nothing: the API has no token configured or created.
        case none
    }

    public var actor: AuditActor
    public var scope: TokenScope
    public var credential: Credential

    public init(actor: AuditActor, scope: TokenScope, credential: Credential) {
        self.actor = actor
        self.scope = scope
        self.credential = credential
    }
}
