import FaultlineCore

/// How much of a payload intake keeps: lengths of names, tags, messages and stacks per event, and events
/// and event bytes per payload. Anything longer is cut (at a character, or for a stack at a line) and the
/// cut named in the event's `truncationTag`; events beyond a payload's budget are dropped and counted
/// (`IntakeStats.skippedOverLimit`). Figures follow the Datadog agent's truncator where it has one.
public struct IntakeLimits: Sendable, Hashable {
    /// Service, operation and env/version bytes (the agent's service and name limit).
    public var maxNameBytes = 100
    /// Resource bytes (the agent's).
    public var maxResourceBytes = 5_000
    /// Tag key bytes (the agent's).
    public var maxTagKeyBytes = 200
    /// Tag value bytes (the agent's).
    public var maxTagValueBytes = 25_000
    /// Error type bytes.
    public var maxErrorTypeBytes = 1_024
    /// Error message bytes.
    public var maxMessageBytes = 16 * 1024
    /// Stack text bytes per event; parsing caps frames on top (``StackTraceParser``).
    public var maxStackBytes = 256 * 1024
    /// Events one payload may deliver.
    public var maxEventsPerPayload = 1_000
    /// Bytes of messages, stacks and tags one payload's events may add up to, counted per event (a stack
    /// that many spans of a v0.5 payload share counts for each: each event costs the store its work).
    public var maxEventBytesPerPayload = 64 * 1024 * 1024

    /// The limits intake applies by default.
    public static let `default` = IntakeLimits()

    /// Limits; the defaults unless given.
    public init() {}

    /// The span tag that names what was cut from an event, e.g. `errorMessage,errorStack`.
    public static let truncationTag = "_faultline.truncated"
}

extension IntakeBatch {
    /// Cuts every event to `limits` and drops those beyond the payload's budget, counting them.
    mutating func apply(_ limits: IntakeLimits) {
        guard !events.isEmpty else { return }
        var cutter = EventCutter(limits: limits)
        var kept: [ErrorEvent] = []
        kept.reserveCapacity(min(events.count, limits.maxEventsPerPayload))
        var budget = limits.maxEventBytesPerPayload
        for event in events {
            guard kept.count < limits.maxEventsPerPayload else {
                stats.errorEvents -= 1
                stats.skippedOverLimit += 1
                continue
            }
            let cut = cutter.cut(event)
            let size = EventCutter.size(of: cut)
            guard size <= budget else {
                stats.errorEvents -= 1
                stats.skippedOverLimit += 1
                continue
            }
            budget -= size
            kept.append(cut)
        }
        events = kept
    }
}

/// Cuts one payload's events; a long stack that several events share (one v0.5 string-table entry) is cut
/// once and the cut shared, so their copies stay one string.
struct EventCutter {
    let limits: IntakeLimits
    private var cutStacks: [StringIdentity: String] = [:]

    init(limits: IntakeLimits) {
        self.limits = limits
    }

    mutating func cut(_ original: ErrorEvent) -> ErrorEvent {
        var event = original
        var cut: [String] = []
        func limit(_ value: inout String, _ maxBytes: Int, _ name: String) {
            guard value.utf8.count > maxBytes else { return }
            value = Self.prefix(value, maxBytes: maxBytes)
            cut.append(name)
        }
        func limitOptional(_ value: inout String?, _ maxBytes: Int, _ name: String) {
            guard var text = value, text.utf8.count > maxBytes else { return }
            limit(&text, maxBytes, name)
            value = text
        }
        limit(&event.service, limits.maxNameBytes, "service")
        limitOptional(&event.env, limits.maxNameBytes, "env")
        limitOptional(&event.version, limits.maxNameBytes, "version")
        limitOptional(&event.operation, limits.maxNameBytes, "operation")
        limitOptional(&event.resource, limits.maxResourceBytes, "resource")
        limit(&event.errorType, limits.maxErrorTypeBytes, "errorType")
        limit(&event.errorMessage, limits.maxMessageBytes, "errorMessage")
        limitOptional(&event.fingerprintOverride, limits.maxTagValueBytes, "fingerprintOverride")
        if event.errorStack.utf8.count > limits.maxStackBytes {
            let identity = StringIdentity(event.errorStack)
            if let identity, let known = cutStacks[identity] {
                event.errorStack = known
            } else {
                event.errorStack = Self.stackPrefix(event.errorStack, maxBytes: limits.maxStackBytes)
                if let identity { cutStacks[identity] = event.errorStack }
            }
            cut.append("errorStack")
        }
        var tagsCut = false
        for keyPath in [\ErrorEvent.spanTags, \ErrorEvent.hostTags, \ErrorEvent.containerTags] {
            let tags = event[keyPath: keyPath]
            guard tags.contains(where: { $0.key.utf8.count > limits.maxTagKeyBytes || $0.value.utf8.count > limits.maxTagValueBytes }) else {
                continue
            }
            var cutTags: [String: String] = [:]
            cutTags.reserveCapacity(tags.count)
            for (key, value) in tags {
                let key = key.utf8.count > limits.maxTagKeyBytes ? Self.prefix(key, maxBytes: limits.maxTagKeyBytes) : key
                let value = value.utf8.count > limits.maxTagValueBytes ? Self.prefix(value, maxBytes: limits.maxTagValueBytes) : value
                cutTags[key] = cutTags[key] ?? value
            }
            event[keyPath: keyPath] = cutTags
            tagsCut = true
        }
        if tagsCut { cut.append("tags") }
        if event.metrics.keys.contains(where: { $0.utf8.count > limits.maxTagKeyBytes }) {
            event.metrics = event.metrics.filter { $0.key.utf8.count <= limits.maxTagKeyBytes }
            cut.append("metrics")
        }
        if !cut.isEmpty {
            event.spanTags[IntakeLimits.truncationTag] = cut.joined(separator: ",")
        }
        return event
    }

    /// The bytes an event adds to the store that its size is bounded by: message, stack and tags.
    static func size(of event: ErrorEvent) -> Int {
        var size = event.errorMessage.utf8.count + event.errorStack.utf8.count + event.errorType.utf8.count + event.service.utf8.count
        for tags in [event.spanTags, event.hostTags, event.containerTags] {
            for (key, value) in tags { size += key.utf8.count + value.utf8.count }
        }
        return size + event.metrics.count * 16
    }

    /// The longest prefix of at most `maxBytes` bytes that ends at a character boundary.
    static func prefix(_ text: String, maxBytes: Int) -> String {
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: maxBytes)
        while end > text.startIndex, text.utf8[end] & 0xC0 == 0x80 {
            end = text.utf8.index(before: end)
        }
        return String(text.utf8[..<end]) ?? ""
    }

    /// A stack's prefix of whole lines within `maxBytes` (a single overlong line is cut at a character).
    static func stackPrefix(_ text: String, maxBytes: Int) -> String {
        let cut = prefix(text, maxBytes: maxBytes)
        guard let lastNewline = cut.utf8.lastIndex(of: 0x0A) else { return cut }
        return String(cut.utf8[...lastNewline]) ?? cut
    }
}
