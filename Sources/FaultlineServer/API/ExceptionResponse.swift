import FaultlineCore

/// One exception of an event's chain as the API shows it: the parsed exception with each frame's
/// `source` once enriched, so the cause of a wrapped error shows its code like the reported one.
public struct ExceptionResponse: Codable, Sendable, Hashable {
    public var type: String?
    public var message: String?
    /// How it relates to the exception before it: `primary`, `cause`, `context` or `suppressed`.
    public var relation: ExceptionTrace.Relation
    public var frames: [FrameResponse]

    public init(_ exception: ExceptionTrace) {
        type = exception.type
        message = exception.message
        relation = exception.relation
        frames = exception.frames.map { FrameResponse(frame: $0) }
    }
}
