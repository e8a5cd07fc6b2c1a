import FaultlineCore
import Foundation

/// The first in-app frame of an issue's latest event with its line of code from the deployed commit.
public struct TopFrame: Sendable, Hashable, Codable {
    /// Repository path when the frame resolved, else the file as the runtime printed it.
    public var path: String?
    public var line: Int?
    public var function: String?
    /// The frame's line of code at the commit that ran; nil when it could not be read.
    public var code: String?
    /// The file and line at that commit on the forge.
    public var permalink: String?

    public init(path: String?, line: Int?, function: String?, code: String?, permalink: String?) {
        self.path = path
        self.line = line
        self.function = function
        self.code = code
        self.permalink = permalink
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(line, forKey: .line)
        try container.encode(function, forKey: .function)
        try container.encode(code, forKey: .code)
        try container.encode(permalink, forKey: .permalink)
    }
}

/// What a notification says about its issue, as the server reads it.
public struct NotificationFacts: Sendable {
    /// The issue as `GET /api/v1/issues/{id}` returns it under `issue`.
    public var issue: Issue
    public var topFrame: TopFrame?
    /// True while the latest event waits for its enrichment: the worker holds the notification for up to
    /// `enrichmentWait`, then sends it without code.
    public var enrichmentPending: Bool
    /// The explorer page of the issue.
    public var url: String?

    public init(issue: Issue, topFrame: TopFrame?, enrichmentPending: Bool, url: String?) {
        self.issue = issue
        self.topFrame = topFrame
        self.enrichmentPending = enrichmentPending
        self.url = url
    }
}

/// Reads the facts of an issue for a notification; the server implements it (it owns the API's shapes
/// and the enrichment's stored form). nil when the issue no longer exists.
public protocol NotificationFactsSource: Sendable {
    func facts(issueID: Int64) async throws -> NotificationFacts?
}
