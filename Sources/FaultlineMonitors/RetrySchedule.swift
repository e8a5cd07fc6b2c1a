import FaultlineCore
import Foundation

/// When a failed notification is tried again: the Standard Webhooks schedule by default (5 s, 5 min,
/// 30 min, 2 h, 5 h, 10 h after the previous attempt), each delay with ±`jitter` of itself.
public struct RetrySchedule: Sendable, Hashable {
    /// Delays after the first, second, … failed attempt; after the last one the notification fails.
    public var delays: [TimeInterval]
    /// Fraction of each delay added or removed at random, so a recovering receiver is not hit all at once.
    public var jitter: Double

    public static let standard = RetrySchedule(delays: [5, 300, 1800, 7200, 18000, 36000])

    public init(delays: [TimeInterval], jitter: Double = 0.1) {
        self.delays = delays.map { max(0, $0) }
        self.jitter = min(max(jitter, 0), 1)
    }

    /// Parses `5s,5m,30m,2h` (seconds without a unit); nil when an entry is not a duration.
    public init?(parsing text: String, jitter: Double = 0.1) {
        var delays: [TimeInterval] = []
        for part in text.split(separator: ",") {
            guard let seconds = DurationText.seconds(part.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
            delays.append(seconds)
        }
        guard !delays.isEmpty else { return nil }
        self.init(delays: delays, jitter: jitter)
    }

    /// When to try again after `attempts` failed attempts (1 after the first); nil to give up.
    public func nextAttempt(after attempts: Int, now: Date, random: Double = Double.random(in: -1...1)) -> Date? {
        guard attempts >= 1, attempts <= delays.count else { return nil }
        let delay = delays[attempts - 1]
        return now.addingTimeInterval(max(0, delay + delay * jitter * random))
    }
}
