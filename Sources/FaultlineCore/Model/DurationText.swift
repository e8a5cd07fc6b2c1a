import Foundation

/// `90`, `90s`, `5m`, `1h`, `1d` (fractions allowed) as seconds, and back.
public enum DurationText {
    public static func seconds(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let last = trimmed.last, let unit = units[last] {
            return Double(trimmed.dropLast()).flatMap { $0.isFinite ? $0 * unit : nil }
        }
        return Double(trimmed).flatMap { $0.isFinite ? $0 : nil }
    }

    /// The shortest exact form: `300` → `5m`, `90` → `90s`.
    public static func text(_ seconds: TimeInterval) -> String {
        for (unit, size) in [("d", 86400.0), ("h", 3600.0), ("m", 60.0)] where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(seconds / size))\(unit)"
        }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
