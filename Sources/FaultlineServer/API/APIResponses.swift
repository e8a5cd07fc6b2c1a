import FaultlineCore
import FaultlineEnrichment
import FaultlineStore
import Foundation

/// One stored error event as the API shows it: span identity, tags, Git link and parsed frames.
public struct EventResponse: Codable, Sendable, Hashable {
    public var id: Int64?
    public var issueID: Int64?
    public var traceID: String
    public var spanID: String
    public var service: String
    public var env: String?
    public var version: String?
    public var resource: String?
    public var operation: String?
    /// When it happened (span start).
    public var timestamp: Date
    /// When Faultline committed it.
    public var receivedAt: Date?
    public var fingerprint: String?
    public var durationNanos: Int64
    public var errorType: String
    public var errorMessage: String
    public var errorStack: String
    public var language: String?
    public var spanTags: [String: String]
    public var hostTags: [String: String]
    public var containerTags: [String: String]
    public var metrics: [String: Double]
    public var git: GitLink?
    /// Frames of the reported exception, as parsed, each with its `source` once enriched.
    public var frames: [FrameResponse]
    /// The whole parsed trace: the reported exception and its causes.
    public var exceptions: [ExceptionTrace]

    /// Maps a stored event; `timestamp` is when it happened.
    public init(stored: StoredEvent) {
        self.init(id: stored.id, issueID: stored.issueID, event: stored.event.event, stackTrace: stored.event.stackTrace)
        timestamp = stored.occurredAt
        receivedAt = stored.receivedAt
        fingerprint = stored.event.fingerprint.value
    }

    public init(id: Int64?, issueID: Int64?, event: ErrorEvent, stackTrace: StackTrace) {
        self.id = id
        self.issueID = issueID
        traceID = event.traceID
        spanID = event.spanID
        service = event.service
        env = event.env
        version = event.version
        resource = event.resource
        operation = event.operation
        timestamp = Date(timeIntervalSince1970: Double(event.startNanos) / 1_000_000_000)
        durationNanos = event.durationNanos
        errorType = event.errorType
        errorMessage = event.errorMessage
        errorStack = event.errorStack
        language = event.language
        spanTags = event.spanTags
        hostTags = event.hostTags
        containerTags = event.containerTags
        metrics = event.metrics
        git = event.git
        frames = stackTrace.frames.map { FrameResponse(frame: $0) }
        exceptions = stackTrace.exceptions
    }
}

/// `GET /api/v1/issues`: the store's page as it is (issues, nextCursor, total).
public typealias IssuePageResponse = IssuePage

/// `GET /api/v1/issues/{id}` and each exported issue.
public struct IssueDetailResponse: Codable, Sendable, Hashable {
    public var issue: Issue
    public var latestEvent: EventResponse?
    public var isNew: Bool
    /// Events per hour, oldest first.
    public var hourlyCounts: [HourlyCount]
    /// Every status change, oldest first.
    public var statusHistory: [StatusChange]
    public var versions: [SeenValue]
    public var hosts: [SeenValue]
    public var containers: [SeenValue]

    /// `sources`: the stored enrichment of the latest event, when there is one for that event.
    public init(detail: IssueDetail, sources: EnrichedTrace? = nil) {
        issue = detail.issue
        latestEvent = detail.latestEvent.map(EventResponse.init(stored:))
        if let sources { latestEvent?.attach(sources) }
        isNew = detail.issue.isNew
        hourlyCounts = detail.hourlyCounts
        statusHistory = detail.statusHistory
        versions = detail.versions
        hosts = detail.hosts
        containers = detail.containers
    }
}

/// `GET /api/v1/issues/{id}/events`.
public struct EventPageResponse: Codable, Sendable, Hashable {
    public var events: [EventResponse]
    public var nextCursor: String?

    public init(events: [EventResponse], nextCursor: String?) {
        self.events = events
        self.nextCursor = nextCursor
    }
}

/// One line of `GET /api/v1/export`: an issue with its latest event and where it was seen.
public typealias ExportedIssue = IssueDetailResponse

/// One value of a facet with the number of matching issues: the store's count as it is.
public typealias FacetValue = FacetCount

/// `PATCH /api/v1/issues/{id}` body.
public struct StatusChangeRequest: Codable, Sendable {
    public var status: String
}
