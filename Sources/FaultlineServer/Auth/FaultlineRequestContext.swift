import FaultlineStore
import Hummingbird

/// A request context that carries who the request is from, once the API access middleware knows.
public protocol AuthenticatedRequestContext: RequestContext {
    /// The request's credential, its scope and actor; nil before authentication and on routes outside `/api/v1`.
    var principal: Principal? { get set }
}

/// The request context every Faultline route runs with.
public struct FaultlineRequestContext: AuthenticatedRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }
}

extension AuthenticatedRequestContext {
    /// Who to record as having made a change from this request.
    var actor: AuditActor { principal?.actor ?? .anonymous }
}
