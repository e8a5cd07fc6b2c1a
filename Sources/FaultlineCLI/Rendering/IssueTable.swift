import FaultlineCore
import Foundation

/// Renders issues as a fixed-width table for terminals (`faultline issues list`).
public enum IssueTable {
    /// One row per issue: id, status, count, last seen, service/env, type and message (truncated).
    public static func render(_ issues: [Issue], now: Date = Date(), width: Int = 120) -> String {
        guard !issues.isEmpty else { return "No issues match.\n" }
        let header = ["ID", "STATUS", "COUNT", "LAST SEEN", "SERVICE", "ENV", "ERROR"]
        var rows: [[String]] = [header]
        for issue in issues {
            var status = issue.status.rawValue
            if issue.isRegression { status += " (regressed)" }
            if issue.isNew(now: now) { status += " new" }
            rows.append([
                String(issue.id),
                status,
                String(issue.count),
                relative(issue.lastSeen, now: now),
                issue.service,
                issue.env ?? "-",
                "\(issue.errorType): \(issue.message)".replacingOccurrences(of: "\n", with: " "),
            ])
        }
        let fixedColumns = header.count - 1
        var widths = (0..<fixedColumns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        widths = widths.map { min($0, 30) }
        let used = widths.reduce(0, +) + 2 * fixedColumns
        let errorWidth = max(20, width - used)
        var output = ""
        for row in rows {
            var line = ""
            for column in 0..<fixedColumns {
                line += pad(truncate(row[column], to: widths[column]), to: widths[column]) + "  "
            }
            line += truncate(row[fixedColumns], to: errorWidth)
            output += line.trimmingCharacters(in: .whitespaces) + "\n"
        }
        return output
    }

    /// A detailed, multi-line view of one issue (`faultline issues show`).
    public static func renderDetail(_ issue: Issue, latestFrames: [Frame], traceID: String?, spanID: String?, tags: [String: String], git: GitLink?, now: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        var lines: [String] = []
        // The latest event's own message reads as the error did; the normalised one groups it (shown as "grouped as").
        lines.append("Issue \(issue.id): \(issue.errorType): \(issue.latestMessage ?? issue.message)")
        if let latest = issue.latestMessage, latest != issue.message { lines.append("  grouped as:   \(issue.message)") }
        lines.append("  status:       \(issue.status.rawValue)\(issue.isRegression ? " (regressed in \(issue.regressedInVersion ?? "?"))" : "")\(issue.isNew(now: now) ? " [new]" : "")")
        lines.append("  service/env:  \(issue.service) / \(issue.env ?? "-")")
        lines.append("  count:        \(issue.count)")
        lines.append("  first seen:   \(formatter.string(from: issue.firstSeen))\(issue.firstVersion.map { " (version \($0))" } ?? "")")
        lines.append("  last seen:    \(formatter.string(from: issue.lastSeen))\(issue.lastVersion.map { " (version \($0))" } ?? "")")
        if !issue.versions.isEmpty { lines.append("  versions:     \(issue.versions.joined(separator: ", "))") }
        lines.append("  fingerprint:  \(issue.fingerprint)")
        if let traceID { lines.append("  latest trace: \(traceID) span \(spanID ?? "-")") }
        if let git { lines.append("  git:          \(git.repositoryURL)\(git.commitSHA.map { " @ \($0)" } ?? "")") }
        if !tags.isEmpty {
            lines.append("  tags:")
            for (key, value) in tags.sorted(by: { $0.key < $1.key }) { lines.append("    \(key): \(value)") }
        }
        if !latestFrames.isEmpty {
            lines.append("  stack (innermost first):")
            for frame in latestFrames {
                let location = [frame.file, frame.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
                let function = [frame.module, frame.function].compactMap { $0 }.joined(separator: ".")
                lines.append("    \(frame.inApp ? "*" : " ") \(function.isEmpty ? "?" : function)  \(location)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func relative(_ date: Date, now: Date) -> String {
        let seconds = Int(now.timeIntervalSince(date))
        switch seconds {
        case ..<60: return "just now"
        case ..<3600: return "\(seconds / 60)m ago"
        case ..<86400: return "\(seconds / 3600)h ago"
        default: return "\(seconds / 86400)d ago"
        }
    }

    static func truncate(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }

    static func pad(_ text: String, to width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
