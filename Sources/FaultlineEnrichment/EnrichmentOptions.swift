import FaultlineCore
import Foundation

/// How much the enricher shows and computes.
public struct EnrichmentOptions: Sendable {
    /// Lines of context on each side of a frame's line.
    public var contextLines: Int
    /// Blame each resolved in-app frame's line (slow: keep it off request paths).
    public var includeBlame: Bool
    /// Datadog's rule: a suspect commit is authored at most this long before the issue was first seen.
    public var suspectWindow: TimeInterval
    /// Files kept in memory, split into lines.
    public var fileCacheCapacity: Int
    /// Commit indexes kept in memory.
    public var indexCacheCapacity: Int

    public init(contextLines: Int = 5, includeBlame: Bool = false, suspectWindow: TimeInterval = 90 * 24 * 3600, fileCacheCapacity: Int = 2048, indexCacheCapacity: Int = 64) {
        self.contextLines = contextLines
        self.includeBlame = includeBlame
        self.suspectWindow = suspectWindow
        self.fileCacheCapacity = fileCacheCapacity
        self.indexCacheCapacity = indexCacheCapacity
    }
}

/// The source of every frame of a stack trace, parallel to `StackTrace.exceptions[i].frames[j]`.
public struct EnrichedTrace: Sendable, Hashable, Codable {
    public var repositoryURL: String?
    public var commitSHA: String?
    /// `exceptions[i][j]` is the source of `StackTrace.exceptions[i].frames[j]`.
    public var exceptions: [[FrameSource]]
    /// Datadog's rule: the most recent commit touching a line of the trace, authored before the
    /// issue was first seen and within the suspect window. Nil unless blame was computed.
    public var suspectCommit: SuspectCommit?

    enum CodingKeys: String, CodingKey {
        case repositoryURL
        case commitSHA
        case exceptions
        case suspectCommit
    }

    public init(repositoryURL: String?, commitSHA: String?, exceptions: [[FrameSource]], suspectCommit: SuspectCommit?) {
        self.repositoryURL = repositoryURL
        self.commitSHA = commitSHA
        self.exceptions = exceptions
        self.suspectCommit = suspectCommit
    }

    /// Sources of the reported exception's frames.
    public var frames: [FrameSource] { exceptions.first ?? [] }

    /// The same status and reason for every frame of `trace`: what is shown when no commit can be read.
    public static func everyFrame(of trace: StackTrace, _ status: FrameSourceStatus, _ reason: String, repositoryURL: String? = nil, commitSHA: String? = nil) -> EnrichedTrace {
        everyFrame(ofShape: trace.exceptions.map(\.frames), status, reason, repositoryURL: repositoryURL, commitSHA: commitSHA)
    }

    /// `everyFrame(of:)` for the frames of each exception.
    static func everyFrame(ofShape shape: [[Frame]], _ status: FrameSourceStatus, _ reason: String, repositoryURL: String? = nil, commitSHA: String? = nil) -> EnrichedTrace {
        EnrichedTrace(repositoryURL: repositoryURL, commitSHA: commitSHA, exceptions: shape.map { frames in
            frames.map { FrameSource(repositoryURL: repositoryURL, commitSHA: commitSHA, line: $0.line, status: status, reason: reason) }
        }, suspectCommit: nil)
    }
}
