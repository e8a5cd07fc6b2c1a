import FaultlineServer
import FaultlineStore
import Foundation

/// Monitors and deliveries as plain-text tables.
enum MonitorTable {
    static func render(_ monitors: [MonitorResponse]) -> String {
        guard !monitors.isEmpty else { return "no monitors\n" }
        let rows = monitors.map { monitor -> [String] in
            let trigger = monitor.threshold.map { "threshold >\($0.count)/\($0.window) per \($0.per)" } ?? monitor.kind
            let last = monitor.lastDelivery.map { "\($0.outcome) \($0.statusCode.map(String.init) ?? "-") \($0.at.formatted(.iso8601))" } ?? "-"
            return ["\(monitor.id)", monitor.name, trigger, monitor.query.isEmpty ? "*" : monitor.query, monitor.channel.type, monitor.state, "\(monitor.pending)", last]
        }
        return table(["ID", "NAME", "FIRES ON", "QUERY", "CHANNEL", "STATE", "PENDING", "LAST DELIVERY"], rows)
    }

    static func render(_ deliveries: [DeliveryAttempt]) -> String {
        guard !deliveries.isEmpty else { return "no deliveries\n" }
        let rows = deliveries.map { attempt in
            [
                attempt.at.formatted(.iso8601), attempt.type, attempt.notificationID, "\(attempt.attempt)", attempt.statusCode.map(String.init) ?? "-",
                attempt.outcome, String(format: "%.0fms", attempt.latencyMillis), attempt.error ?? "",
            ]
        }
        return table(["AT", "TYPE", "NOTIFICATION", "TRY", "STATUS", "OUTCOME", "LATENCY", "ERROR"], rows)
    }

    private static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
