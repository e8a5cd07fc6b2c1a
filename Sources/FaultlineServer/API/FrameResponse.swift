import FaultlineCore
import FaultlineEnrichment
import Foundation

/// A frame as the API shows it: the parsed frame's fields, plus `source` (the code at the commit
/// that ran, or why it cannot be shown) once the enrichment worker has done the event.
@dynamicMemberLookup
public struct FrameResponse: Codable, Sendable, Hashable {
    public var frame: Frame
    /// nil until the latest event is enriched (`null` in JSON).
    public var source: FrameSource?

    public init(frame: Frame, source: FrameSource? = nil) {
        self.frame = frame
        self.source = source
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<Frame, T>) -> T {
        frame[keyPath: keyPath]
    }

    private enum SourceKey: String, CodingKey {
        case source
    }

    public init(from decoder: any Decoder) throws {
        frame = try Frame(from: decoder)
        source = try decoder.container(keyedBy: SourceKey.self).decodeIfPresent(FrameSource.self, forKey: .source)
    }

    /// The frame's own keys and `source` side by side in one object.
    public func encode(to encoder: any Encoder) throws {
        try frame.encode(to: encoder)
        var container = encoder.container(keyedBy: SourceKey.self)
        try container.encode(source, forKey: .source)
    }
}

extension EventResponse {
    /// Attaches stored sources to every exception's frames (`sources.exceptions[i][j]` is the source of
    /// `exceptions[i].frames[j]`). False, attaching nothing, when the stored shape is not the event's: the
    /// caller logs it and has the event enriched again.
    @discardableResult
    mutating func attach(_ sources: EnrichedTrace) -> Bool {
        guard sources.exceptions.count == exceptions.count,
              zip(sources.exceptions, exceptions).allSatisfy({ $0.count == $1.frames.count })
        else { return false }
        for (index, exceptionSources) in sources.exceptions.enumerated() {
            for (frame, source) in exceptionSources.enumerated() {
                exceptions[index].frames[frame].source = source
            }
        }
        return true
    }
}
