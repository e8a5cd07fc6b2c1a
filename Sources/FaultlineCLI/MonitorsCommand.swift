import ArgumentParser
import FaultlineCore
import FaultlineMonitors
import FaultlineServer
import FaultlineStore
import Foundation

/// `faultline monitors`: notify a webhook, Slack or PagerDuty about new issues, regressions and thresholds.
struct MonitorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitors",
        abstract: "Create, list, change, mute and test monitors (reads the store directly; a running server sends the notifications).",
        subcommands: [Create.self, List.self, Show.self, Update.self, Delete.self, Mute.self, Unmute.self, Test.self]
    )

    /// The fields of a monitor, as options; every one optional so `update` changes only what is given.
    struct DefinitionOptions: ParsableArguments {
        @Option(help: "Name shown in notifications.")
        var name: String?

        @Option(help: "new_issue, regression or threshold.")
        var kind: String?

        @Option(name: [.customShort("q"), .long], help: "Issue query the monitor watches, e.g. 'service:checkout env:prod'.")
        var query: String?

        @Option(help: "Threshold: fire when more than COUNT events arrive within --window.")
        var count: Int?

        @Option(help: "Threshold window in whole minutes, e.g. 5m or 1h.")
        var window: String?

        @Option(help: "Threshold counted per 'issue' (default) or for the whole 'query'.")
        var per: String?

        @Option(help: "Channel: webhook, slack or pagerduty.")
        var channel: String?

        @Option(help: "Webhook or Slack incoming-webhook URL (PagerDuty: an events URL other than the configured one).")
        var url: String?

        @Option(help: "Webhook signing secret (Standard Webhooks, e.g. whsec_…); prefer FAULTLINE_MONITOR_SECRET.")
        var secret: String?

        @Option(name: .customLong("routing-key"), help: "PagerDuty integration key; prefer FAULTLINE_MONITOR_ROUTING_KEY.")
        var routingKey: String?

        @Option(help: "Notify a still-firing threshold again after this long, e.g. 30m ('off' never).")
        var renotify: String?

        @Option(name: .customLong("muted-until"), help: "Mute until an ISO 8601 date, e.g. 2026-12-03T18:00:00Z.")
        var mutedUntil: String?

        func draft(environment: [String: String]) throws -> MonitorDraft {
            var draft = MonitorDraft()
            draft.name = name
            draft.kind = kind
            draft.query = query
            draft.thresholdCount = count
            draft.thresholdWindow = window
            draft.thresholdPer = per
            draft.channelType = channel
            if let url { draft.channelURL = .value(url) }
            if let secret = secret ?? environment["FAULTLINE_MONITOR_SECRET"] { draft.channelSecret = .value(secret) }
            if let key = routingKey ?? environment["FAULTLINE_MONITOR_ROUTING_KEY"] { draft.channelRoutingKey = .value(key) }
            if let renotify { draft.renotify = renotify.lowercased() == "off" ? .null : .value(renotify) }
            if let mutedUntil {
                guard let date = MonitorDraft.date(mutedUntil) else { throw ValidationError("--muted-until must be an ISO 8601 date such as 2026-12-03T18:00:00Z") }
                draft.mutedUntil = .value(date)
            }
            return draft
        }
    }

    /// The id argument of the commands that name one monitor.
    struct MonitorIDArgument: ParsableArguments {
        @Argument(help: "Monitor id.")
        var id: Int64

        func validate() throws {
            guard id > 0 else { throw ValidationError("monitor id must be a positive integer") }
        }
    }

    /// The allow-list `serve` would use, from the environment (the store does not hold it).
    static var allowList: NotifyAllowList {
        let text = ProcessInfo.processInfo.environment[ServerConfiguration.environmentName(for: "allow-notify")] ?? ""
        return NotifyAllowList(patterns: text.split(separator: ",").map(String.init))
    }

    static func existing(_ store: IssueStore, _ id: Int64) async throws -> Monitor {
        guard let monitor = try await store.monitor(id: id) else { throw CommandFailure("no monitor \(id)") }
        return monitor
    }

    static func printMonitor(_ monitor: MonitorResponse, json: Bool) throws {
        if json {
            try CommandSupport.printJSON(MonitorEnvelope(monitor: monitor))
        } else {
            print(MonitorTable.render([monitor]), terminator: "")
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a monitor.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var definition: DefinitionOptions

        @Flag(help: "Print JSON ({\"monitor\": …}, as the API answers).")
        var json = false

        func run() async throws {
            let draft = try definition.draft(environment: ProcessInfo.processInfo.environment)
            let monitor: Monitor
            do throws(MonitorsError) {
                monitor = try draft.monitor(allowList: MonitorsCommand.allowList)
            } catch {
                throw ValidationError(error.reason)
            }
            let stored = try await CommandSupport.openStore(store).createMonitor(monitor)
            try MonitorsCommand.printMonitor(MonitorResponse(stored), json: json)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List monitors with their state and last delivery.")

        @OptionGroup var store: StoreOptions

        @Flag(help: "Print JSON (the API's {\"monitors\": […]}).")
        var json = false

        func run() async throws {
            let monitors = try await MonitorResponse.all(from: CommandSupport.openStore(store))
            if json {
                try CommandSupport.printJSON(MonitorListResponse(monitors: monitors))
            } else {
                print(MonitorTable.render(monitors), terminator: "")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a monitor and its recent deliveries.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var monitor: MonitorIDArgument

        @Flag(help: "Print JSON ({\"monitor\": …, \"deliveries\": […]}).")
        var json = false

        struct Output: Encodable {
            var monitor: MonitorResponse
            var deliveries: [DeliveryAttempt]
        }

        func run() async throws {
            let issues = try CommandSupport.openStore(store)
            let found = try await MonitorsCommand.existing(issues, monitor.id)
            let response = try await MonitorResponse.one(found, from: issues)
            let deliveries = try await issues.deliveries(monitorID: monitor.id, limit: 20)
            if json {
                try CommandSupport.printJSON(Output(monitor: response, deliveries: deliveries))
            } else {
                print(MonitorTable.render([response]), terminator: "")
                print(MonitorTable.render(deliveries), terminator: "")
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "update", abstract: "Change a monitor's fields (only those given).")

        @OptionGroup var store: StoreOptions
        @OptionGroup var monitor: MonitorIDArgument
        @OptionGroup var definition: DefinitionOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let issues = try CommandSupport.openStore(store)
            var found = try await MonitorsCommand.existing(issues, monitor.id)
            let draft = try definition.draft(environment: ProcessInfo.processInfo.environment)
            do throws(MonitorsError) {
                try draft.apply(to: &found, allowList: MonitorsCommand.allowList)
            } catch {
                throw ValidationError(error.reason)
            }
            guard let updated = try await issues.updateMonitor(found) else { throw CommandFailure("no monitor \(monitor.id)") }
            try MonitorsCommand.printMonitor(try await MonitorResponse.one(updated, from: issues), json: json)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a monitor and its pending notifications.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var monitor: MonitorIDArgument

        func run() async throws {
            guard try await CommandSupport.openStore(store).deleteMonitor(id: monitor.id) else { throw CommandFailure("no monitor \(monitor.id)") }
            print("deleted monitor \(monitor.id)")
        }
    }

    struct Mute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mute", abstract: "Mute a monitor for a while (nothing is sent until then).")

        @OptionGroup var store: StoreOptions
        @OptionGroup var monitor: MonitorIDArgument

        @Option(name: .customLong("for"), help: "How long, e.g. 30m, 2h (default 1h).")
        var duration: String = "1h"

        @Option(help: "Until an ISO 8601 date instead.")
        var until: String?

        func run() async throws {
            let date: Date
            if let until {
                guard let parsed = MonitorDraft.date(until) else { throw ValidationError("--until must be an ISO 8601 date such as 2026-12-03T18:00:00Z") }
                date = parsed
            } else {
                guard let seconds = DurationText.seconds(duration), seconds > 0 else { throw ValidationError("--for must be a duration such as 30m or 2h") }
                date = Date().addingTimeInterval(seconds)
            }
            let issues = try CommandSupport.openStore(store)
            var found = try await MonitorsCommand.existing(issues, monitor.id)
            found.mutedUntil = date
            _ = try await issues.updateMonitor(found)
            print("muted monitor \(monitor.id) until \(date.formatted(.iso8601))")
        }
    }

    struct Unmute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unmute", abstract: "Unmute a monitor.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var monitor: MonitorIDArgument

        func run() async throws {
            let issues = try CommandSupport.openStore(store)
            var found = try await MonitorsCommand.existing(issues, monitor.id)
            found.mutedUntil = nil
            _ = try await issues.updateMonitor(found)
            print("unmuted monitor \(monitor.id)")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test", abstract: "Queue a monitor.test notification (the running server sends it; see `monitors show` for the result).")

        @OptionGroup var store: StoreOptions
        @OptionGroup var monitor: MonitorIDArgument

        func run() async throws {
            guard let queued = try await CommandSupport.openStore(store).enqueueTestNotification(monitorID: monitor.id) else {
                throw CommandFailure("no monitor \(monitor.id)")
            }
            print("queued \(queued.event.rawValue) \(queued.notificationID)")
        }
    }
}
