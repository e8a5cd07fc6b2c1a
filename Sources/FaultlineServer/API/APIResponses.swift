import FaultlineCore
import FaultlineEnrichment
import FaultlineStore
import Foundation

/// One stored error event as the API shows it: the domain `ErrorEvent` itself (its fields are read
/// through it, `response.traceID`), plus what the store and the enrichment add: ids, when it happened
/// and was received, the fingerprint, and the parsed frames with their sources.
@dynamicMemberLookup
public struct EventResponse: Codable, Sendable, Hashable {
    /// The event as intake extracted it.
    public var event: ErrorEvent
    public var id: Int64?
    public var issueID: Int64?
    /// When it happened (span start).
    public var timestamp: Date
    /// When Faultline committed it.
    public var receivedAt: Date?
    public var fingerprint: String?
    /// The whole parsed trace: the reported exception and its causes, each frame with its `source`.
    public var exceptions: [ExceptionResponse]
    /// Frames of the reported exception (`exceptions[0]`), each with its `source` once enriched.
    public var frames: [FrameResponse] { exceptions.first?.frames ?? [] }

    /// Maps a stored event; `timestamp` is when it happened.
    public init(stored: StoredEvent) {
        self.init(id: stored.id, issueID: stored.issueID, event: stored.event.event, stackTrace: stored.event.stackTrace)
        timestamp = stored.occurredAt
        receivedAt = stored.receivedAt
        fingerprint = stored.event.fingerprint.value
    }

    /// An event with its parsed trace; `timestamp` from the span's start.
    public init(id: Int64?, issueID: Int64?, event: ErrorEvent, stackTrace: StackTrace) {
        self.event = event
        self.id = id
        self.issueID = issueID
        timestamp = Date(timeIntervalSince1970: Double(event.startNanos) / 1_000_000_000)
        exceptions = stackTrace.exceptions.map(ExceptionResponse.init)
    }

    /// The event's own fields.
    public subscript<T>(dynamicMember keyPath: KeyPath<ErrorEvent, T>) -> T {
        event[keyPath: keyPath]
    }

    /// The API's keys: the event's identity, tags and error in one flat object (no origin, start
    /// nanos or fingerprint override: `timestamp` and `fingerprint` say those).
    private enum CodingKeys: String, CodingKey {
        case id, issueID, traceID, spanID, service, env, version, resource, operation, timestamp, receivedAt
        case fingerprint, durationNanos, errorType, errorMessage, errorStack, language
        case spanTags, hostTags, containerTags, metrics, git, errorSpan, frames, exceptions
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(issueID, forKey: .issueID)
        try container.encode(event.traceID, forKey: .traceID)
        try container.encode(event.spanID, forKey: .spanID)
        try container.encode(event.service, forKey: .service)
        try container.encodeIfPresent(event.env, forKey: .env)
        try container.encodeIfPresent(event.version, forKey: .version)
        try container.encodeIfPresent(event.resource, forKey: .resource)
        try container.encodeIfPresent(event.operation, forKey: .operation)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encodeIfPresent(receivedAt, forKey: .receivedAt)
        try container.encodeIfPresent(fingerprint, forKey: .fingerprint)
        try container.encode(event.durationNanos, forKey: .durationNanos)
        try container.encode(event.errorType, forKey: .errorType)
        try container.encode(event.errorMessage, forKey: .errorMessage)
        try container.encode(event.errorStack, forKey: .errorStack)
        try container.encodeIfPresent(event.language, forKey: .language)
        try container.encode(event.spanTags, forKey: .spanTags)
        try container.encode(event.hostTags, forKey: .hostTags)
        try container.encode(event.containerTags, forKey: .containerTags)
        try container.encode(event.metrics, forKey: .metrics)
        try container.encodeIfPresent(event.git, forKey: .git)
        try container.encodeIfPresent(event.errorSpan, forKey: .errorSpan)
        try container.encode(frames, forKey: .frames)
        try container.encode(exceptions, forKey: .exceptions)
    }

    /// Reads the API's JSON back (clients and tests); the span start comes from `timestamp`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int64.self, forKey: .id)
        issueID = try container.decodeIfPresent(Int64.self, forKey: .issueID)
        timestamp = try container.decode(Date.self, forKey: .timestamp)
        receivedAt = try container.decodeIfPresent(Date.self, forKey: .receivedAt)
        fingerprint = try container.decodeIfPresent(String.self, forKey: .fingerprint)
        exceptions = try container.decode([ExceptionResponse].self, forKey: .exceptions)
        event = ErrorEvent(
            traceID: try container.decode(String.self, forKey: .traceID),
            spanID: try container.decode(String.self, forKey: .spanID),
            service: try container.decode(String.self, forKey: .service),
            env: try container.decodeIfPresent(String.self, forKey: .env),
            version: try container.decodeIfPresent(String.self, forKey: .version),
            resource: try container.decodeIfPresent(String.self, forKey: .resource),
            operation: try container.decodeIfPresent(String.self, forKey: .operation),
            startNanos: Int64((timestamp.timeIntervalSince1970 * 1_000_000_000).rounded()),
            durationNanos: try container.decode(Int64.self, forKey: .durationNanos),
            errorType: try container.decode(String.self, forKey: .errorType),
            errorMessage: try container.decode(String.self, forKey: .errorMessage),
            errorStack: try container.decode(String.self, forKey: .errorStack),
            language: try container.decodeIfPresent(String.self, forKey: .language),
            spanTags: try container.decode([String: String].self, forKey: .spanTags),
            hostTags: try container.decode([String: String].self, forKey: .hostTags),
            containerTags: try container.decode([String: String].self, forKey: .containerTags),
            metrics: try container.decode([String: Double].self, forKey: .metrics),
            git: try container.decodeIfPresent(GitLink.self, forKey: .git),
            errorSpan: try container.decodeIfPresent(ErrorEvent.ErrorSpan.self, forKey: .errorSpan)
        )
    }
}

/// `GET /api/v1/services`: every service and environment with its versions, newest first.
public struct ServiceListResponse: Codable, Sendable, Hashable {
    public var services: [ServiceSummary]

    public init(services: [ServiceSummary]) {
        self.services = services
    }
}

/// `GET /api/v1/issues`: the store's page as it is (issues, nextCursor, total).
public typealias IssuePageResponse = IssuePage

/// `GET /api/v1/issues?hourly=true`: the same page, each issue also carrying `hourlyCounts` over the
/// requested range, in the shape of the issue detail's: a list page draws its sparklines from one request.
public struct IssuePageWithHourlyCounts: Encodable, Sendable {
    /// An issue's fields and its `hourlyCounts`, side by side in one object.
    public struct Item: Encodable, Sendable {
        public var issue: Issue
        public var hourlyCounts: [HourlyCount]

        enum CodingKeys: String, CodingKey {
            case hourlyCounts
        }

        public func encode(to encoder: any Encoder) throws {
            try issue.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(hourlyCounts, forKey: .hourlyCounts)
        }
    }

    public var issues: [Item]
    public var nextCursor: String?
    public var total: Int

    public init(page: IssuePage, hourlyCounts: [Int64: [HourlyCount]]) {
        issues = page.issues.map { Item(issue: $0, hourlyCounts: hourlyCounts[$0.id] ?? []) }
        nextCursor = page.nextCursor
        total = page.total
    }
}

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
