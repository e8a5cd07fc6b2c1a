import FaultlineCore
import FaultlineMonitors
import Foundation

extension ServerConfiguration {
    /// The monitors' settings (`allow-notify`, `notify-*`, `pagerduty-events-url`, `monitors`; `public-url` is shared
    /// with sign-in and read with the other server settings).
    mutating func applyMonitorSetting(key: String, value: String, source: String) throws {
        switch key {
        case "allow-notify":
            allowNotify += value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case "notify-enrichment-wait", "notify-timeout", "notify-threshold-interval":
            guard let seconds = DurationText.seconds(value), seconds >= 0, key == "notify-enrichment-wait" || seconds > 0 else {
                throw ConfigurationError("\(source): \(key) must be a duration such as 0.5, 10s or 1m")
            }
            switch key {
            case "notify-enrichment-wait": notifyEnrichmentWait = seconds
            case "notify-timeout": notifyTimeout = seconds
            default: notifyThresholdInterval = min(seconds, 30)
            }
        case "notify-retry-schedule":
            guard let schedule = RetrySchedule(parsing: value) else {
                throw ConfigurationError("\(source): notify-retry-schedule must be durations separated by commas, such as 5s,5m,30m,2h")
            }
            notifyRetryDelays = schedule.delays
        case "pagerduty-events-url":
            guard let components = URLComponents(string: value), ["http", "https"].contains(components.scheme?.lowercased() ?? ""), components.host != nil else {
                throw ConfigurationError("\(source): pagerduty-events-url must be an http or https URL")
            }
            pagerDutyEventsURL = value
        default:
            switch value.lowercased() {
            case "true", "1", "yes", "on": monitorsEnabled = true
            case "false", "0", "no", "off": monitorsEnabled = false
            default: throw ConfigurationError("\(source): monitors must be true or false")
            }
        }
    }

    /// The allow-list notifications are checked against.
    public var notifyAllowList: NotifyAllowList { NotifyAllowList(patterns: allowNotify) }
}
