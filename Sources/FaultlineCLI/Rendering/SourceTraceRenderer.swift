import FaultlineCore
import FaultlineEnrichment
import FaultlineServer
import Foundation

/// The stack of an issue's latest event with the code that ran inline (`faultline issues show`).
public enum SourceTraceRenderer {
    /// ANSI styles, used only when printing to a terminal.
    struct Style {
        var enabled: Bool
        func apply(_ code: String, _ text: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func dim(_ text: String) -> String { apply("2", text) }
        func bold(_ text: String) -> String { apply("1", text) }
        func marked(_ text: String) -> String { apply("1;33", text) }
        func warning(_ text: String) -> String { apply("31", text) }
    }

    /// The whole detail: the issue's summary, then each frame with its source or the reason it has none.
    public static func render(_ detail: IssueDetailResponse, color: Bool, now: Date = Date()) -> String {
        let event = detail.latestEvent
        var tags = event?.spanTags ?? [:]
        tags.merge(event?.hostTags ?? [:]) { current, _ in current }
        tags.merge(event?.containerTags ?? [:]) { current, _ in current }
        var text = IssueTable.renderDetail(
            detail.issue, latestFrames: [], traceID: event?.traceID, spanID: event?.spanID, tags: tags, git: event?.git, now: now
        )
        if let span = event?.errorSpan {
            // The event's span only marked the error; this span below it carried the exception.
            text += "  error from:   span \(span.operation ?? span.spanID) (\(span.spanID)) below the event's span\n"
        }
        let style = Style(enabled: color)
        let exceptions = event?.exceptions ?? []
        if exceptions.count > 1 {
            // A chain: each exception headed by how it relates to the one before, with its own code.
            for exception in exceptions where !exception.frames.isEmpty || exception.type != nil {
                text += "  " + style.bold(heading(exception)) + "\n"
                if !exception.frames.isEmpty { text += stack(exception.frames, style: style) }
            }
        } else if let frames = event?.frames, !frames.isEmpty {
            text += stack(frames, style: style)
        }
        return text
    }

    /// `caused by sqlite3.OperationalError: no such table`, as the exception relates to the one before it.
    static func heading(_ exception: ExceptionResponse) -> String {
        let relation: String
        switch exception.relation {
        case .primary: relation = "exception"
        case .cause: relation = "caused by"
        case .context: relation = "while handling"
        case .suppressed: relation = "suppressed"
        }
        let name = [exception.type, exception.message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        return "\(relation) \(name.isEmpty ? "(no type or message)" : name)"
    }

    static func stack(_ frames: [FrameResponse], style: Style) -> String {
        var lines: [String] = []
        let pending = frames.allSatisfy { $0.source == nil }
        lines.append("  stack (innermost first)\(pending ? ", source not enriched yet" : ""):")
        for frame in frames {
            let location = [frame.file, frame.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
            let function = [frame.module, frame.function].compactMap { $0 }.joined(separator: ".")
            let name = function.isEmpty ? "?" : function
            lines.append("    \(frame.inApp ? "*" : " ") \(frame.inApp ? style.bold(name) : name)  \(location)")
            guard let source = frame.source else { continue }
            guard source.status == .resolved, !source.snippet.isEmpty else {
                lines.append("        " + style.warning("[\(source.status.rawValue)]") + " " + source.reason)
                continue
            }
            let place = [source.path, source.commitSHA.map { String($0.prefix(12)) }].compactMap { $0 }.joined(separator: " @ ")
            lines.append("        " + style.dim(place + (source.url.map { "  \($0)" } ?? "")))
            let width = String(source.snippet.map(\.line).max() ?? 0).count
            for snippetLine in source.snippet {
                let number = String(repeating: " ", count: max(0, width - String(snippetLine.line).count)) + String(snippetLine.line)
                if snippetLine.highlight {
                    lines.append("      " + style.marked("> \(number) | \(snippetLine.text)"))
                } else {
                    lines.append("      " + style.dim("  \(number) |") + " \(snippetLine.text)")
                }
            }
            if let suspect = source.suspectCommit {
                lines.append("        " + style.dim("last changed in \(suspect.sha.prefix(12)) by \(suspect.authorName): \(suspect.summary)"))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
