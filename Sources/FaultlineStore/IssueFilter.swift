import FaultlineCore
import Foundation
import GRDB

/// An ``IssueQuery`` and time range translated to a SQL condition over the `issue` table.
struct IssueFilter {
    private(set) var clauses: [String] = []
    private(set) var arguments = StatementArguments()

    init(query: IssueQuery, from: Date?, to: Date?, now: Date) {
        for term in query.terms {
            let (sql, values) = Self.condition(term.condition, now: now)
            clauses.append(term.negated ? "NOT (\(sql))" : "(\(sql))")
            arguments += StatementArguments(values)
        }
        if from != nil || to != nil {
            let fromHour = from.map { StoreTime.hour(millis: StoreTime.millis($0)) } ?? Int64.min
            // `to` is exclusive: an hour bucket starting before `to` may hold events before it.
            let toHour = to.map { StoreTime.hour(millis: StoreTime.millis($0) - 1) + 1 } ?? Int64.max
            // Exact on the issue's first and last sighting, hour-precise in between (hourly counts).
            clauses.append("issue.last_seen >= ? AND issue.first_seen < ?")
            arguments += [from.map(StoreTime.millis) ?? Int64.min, to.map(StoreTime.millis) ?? Int64.max]
            clauses.append("EXISTS (SELECT 1 FROM issue_stat h WHERE h.issue_id = issue.id AND h.kind = \(StatKind.hour.rawValue) AND h.value >= ? AND h.value < ?)")
            arguments += [fromHour, toHour]
        }
    }

    /// `WHERE …` or the empty string.
    var whereSQL: String {
        clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    }

    /// Adds a condition (e.g. a cursor position).
    mutating func append(_ sql: String, _ values: StatementArguments) {
        clauses.append("(\(sql))")
        arguments += values
    }

    private static func condition(_ condition: IssueQueryTerm.Condition, now: Date) -> (String, [(any DatabaseValueConvertible)?]) {
        switch condition {
        case .text(let text):
            let like = "%" + escapeLike(text) + "%"
            return (
                "issue.error_type LIKE ? ESCAPE '\\' OR issue.message LIKE ? ESCAPE '\\' OR IFNULL(issue.latest_message, '') LIKE ? ESCAPE '\\'",
                [like, like, like]
            )
        case .flag(.new):
            return ("issue.first_seen > ?", [StoreTime.millis(now.addingTimeInterval(-Issue.newPeriod))])
        case .flag(.regression):
            return ("issue.is_regression = 1", [])
        case .facet(let key, let pattern):
            let (op, value) = match(pattern)
            switch key {
            case .service: return ("issue.service \(op)", [value])
            case .env: return ("issue.env \(op)", [value])
            case .status: return ("issue.status \(op)", [value])
            case .errorType: return ("issue.error_type \(op)", [value])
            case .language: return ("issue.language \(op)", [value])
            case .fingerprint: return ("issue.fingerprint \(op)", [value])
            case .errorMessage:
                return ("issue.message \(op) OR IFNULL(issue.latest_message, '') \(op)", [value, value])
            case .version:
                return (stat(.version, op), [value])
            case .host:
                return (stat(.host, op), [value])
            case .container:
                return (stat(.container, op), [value])
            case .is:
                // The parser turns `is:` into flags; a hand-built facet on it matches nothing.
                return ("0", [])
            }
        }
    }

    private static func stat(_ kind: StatKind, _ op: String) -> String {
        "EXISTS (SELECT 1 FROM issue_stat s WHERE s.issue_id = issue.id AND s.kind = \(kind.rawValue) AND s.value \(op))"
    }

    /// `= ?` with the literal, or `GLOB ?` with `*` kept and GLOB's other specials bracketed.
    private static func match(_ pattern: IssueQueryPattern) -> (String, String) {
        if let literal = pattern.literal {
            return ("= ?", literal)
        }
        let glob = pattern.pieces.map { piece in
            var escaped = ""
            for character in piece {
                switch character {
                case "*": escaped += "[*]"
                case "?": escaped += "[?]"
                case "[": escaped += "[[]"
                default: escaped.append(character)
                }
            }
            return escaped
        }.joined(separator: "*")
        return ("GLOB ?", glob)
    }

    private static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" {
                escaped.append("\\")
            }
            escaped.append(character)
        }
        return escaped
    }
}
