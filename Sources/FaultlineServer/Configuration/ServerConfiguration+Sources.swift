import FaultlineCore
import FaultlineGit
import Foundation

/// A problem with a configuration value: names the source and key, never prints secret values.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension ServerConfiguration {
    /// Setting keys shared by the config file and the environment (`FAULTLINE_` + upper-cased key with `_`).
    public static let settingKeys: [String] = [
        "host", "port", "otlp-port", "data-dir", "repos-dir", "max-body-bytes",
        "intake-api-key", "api-token", "entry-spans-only", "log-level",
        "allow-repo", "context-lines", "git-token", "git-ssh-key", "enrichment",
        "enrichment-retry-initial", "enrichment-retry-max", "enrichment-give-up-after", "default-allow-repo",
        "repo-url-rewrite", "max-store-bytes", "log-format", "idle-timeout", "header-timeout", "body-timeout",
        "max-connections", "public-url", "allow-notify", "notify-enrichment-wait", "notify-retry-schedule", "notify-timeout",
        "notify-threshold-interval", "pagerduty-events-url", "monitors",
    ]

    /// `90`, `90s`, `5m`, `1h`, `1d` (fractions allowed) as seconds; nil when it is none of these.
    static func duration(_ text: String) -> TimeInterval? {
        DurationText.seconds(text)
    }

    /// `1048576`, `500KB`, `500MB`, `2GB`, `1TB` (binary multiples; `KiB`… and a lone `K`/`M`/`G` too) as bytes.
    static func byteSize(_ text: String) -> Int64? {
        let upper = text.uppercased().replacingOccurrences(of: " ", with: "")
        let units: [(String, Int64)] = [
            ("TIB", 1 << 40), ("GIB", 1 << 30), ("MIB", 1 << 20), ("KIB", 1 << 10),
            ("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10),
            ("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1),
        ]
        for (suffix, multiple) in units where upper.hasSuffix(suffix) {
            guard let value = Double(upper.dropLast(suffix.count)), value >= 0, value * Double(multiple) < 9e18 else { return nil }
            return Int64(value * Double(multiple))
        }
        return Int64(upper)
    }

    /// Environment variable name for a setting key: `data-dir` → `FAULTLINE_DATA_DIR`.
    public static func environmentName(for key: String) -> String {
        "FAULTLINE_" + key.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// Applies one setting by key; `source` names where it came from for error messages.
    public mutating func apply(key: String, value: String, source: String) throws {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        switch key {
        case "host":
            guard !trimmed.isEmpty else { throw ConfigurationError("\(source): host is empty") }
            host = trimmed
        case "port":
            port = try Self.port(trimmed, key: key, source: source)
        case "otlp-port":
            if ["", "off", "none", "false"].contains(trimmed.lowercased()) {
                otlpPort = nil
            } else {
                otlpPort = try Self.port(trimmed, key: key, source: source)
            }
        case "data-dir":
            guard !trimmed.isEmpty else { throw ConfigurationError("\(source): data-dir is empty") }
            dataDirectory = trimmed
        case "repos-dir":
            guard !trimmed.isEmpty else { throw ConfigurationError("\(source): repos-dir is empty") }
            reposDirectory = trimmed
        case "max-body-bytes":
            guard let bytes = Int(trimmed), bytes > 0 else {
                throw ConfigurationError("\(source): max-body-bytes must be a positive integer")
            }
            maxBodyBytes = bytes
        case "intake-api-key":
            intakeAPIKey = trimmed.isEmpty ? nil : trimmed
        case "api-token":
            apiToken = trimmed.isEmpty ? nil : trimmed
        case "entry-spans-only":
            switch trimmed.lowercased() {
            case "true", "1", "yes", "on": entrySpansOnly = true
            case "false", "0", "no", "off": entrySpansOnly = false
            default: throw ConfigurationError("\(source): entry-spans-only must be true or false")
            }
        case "log-level":
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(trimmed.lowercased()) else {
                throw ConfigurationError("\(source): log-level must be one of \(levels.joined(separator: ", "))")
            }
            logLevel = trimmed.lowercased()
        case "allow-repo":
            // Repeatable; a config value or environment variable may list several, comma-separated.
            allowRepos += trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case "max-store-bytes":
            if ["", "off", "none", "0"].contains(trimmed.lowercased()) {
                maxStoreBytes = nil
            } else {
                guard let bytes = Self.byteSize(trimmed), bytes > 0 else {
                    throw ConfigurationError("\(source): max-store-bytes must be a size such as 500MB, 2GB or a number of bytes")
                }
                maxStoreBytes = bytes
            }
        case "repo-url-rewrite":
            // Repeatable, like allow-repo; one value may list several, comma-separated.
            for rule in trimmed.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !rule.isEmpty {
                do {
                    repositoryURLRewrites.append(try RepositoryURLRewrite(rule))
                } catch {
                    throw ConfigurationError("\(source): repo-url-rewrite '\(GitError.redactCredentials(rule))': \(error.reason)")
                }
            }
        case "context-lines":
            guard let lines = Int(trimmed), (0...100).contains(lines) else {
                throw ConfigurationError("\(source): context-lines must be an integer from 0 to 100")
            }
            contextLines = lines
        case "enrichment-retry-initial", "enrichment-retry-max", "enrichment-give-up-after":
            // Seconds, or a number with a unit: `30s`, `5m`, `1h`, `1d`.
            guard let seconds = Self.duration(trimmed), seconds > 0 else {
                throw ConfigurationError("\(source): \(key) must be a duration such as 30s, 5m, 1h or 1d")
            }
            switch key {
            case "enrichment-retry-initial": enrichmentRetryInitial = seconds
            case "enrichment-retry-max": enrichmentRetryMax = seconds
            default: enrichmentGiveUpAfter = seconds
            }
        case "public-url":
            publicURL = try Self.publicURL(trimmed, source: source)
        case "git-token":
            gitToken = trimmed.isEmpty ? nil : trimmed
        case "git-ssh-key":
            gitSSHKey = trimmed.isEmpty ? nil : trimmed
        case "default-allow-repo":
            switch trimmed.lowercased() {
            case "true", "1", "yes", "on": defaultAllowRepos = true
            case "false", "0", "no", "off": defaultAllowRepos = false
            default: throw ConfigurationError("\(source): default-allow-repo must be true or false")
            }
        case "enrichment":
            switch trimmed.lowercased() {
            case "true", "1", "yes", "on": enrichmentEnabled = true
            case "false", "0", "no", "off": enrichmentEnabled = false
            default: throw ConfigurationError("\(source): enrichment must be true or false")
            }
        case "allow-notify", "notify-enrichment-wait", "notify-retry-schedule", "notify-timeout",
            "notify-threshold-interval", "pagerduty-events-url", "monitors":
            try applyMonitorSetting(key: key, value: trimmed, source: source)
        case "log-format":
            guard let format = LogFormat(rawValue: trimmed.lowercased()) else {
                throw ConfigurationError("\(source): log-format must be text or json")
            }
            logFormat = format
        case "idle-timeout":
            if ["off", "none"].contains(trimmed.lowercased()) {
                idleTimeout = nil
            } else {
                idleTimeout = try Self.timeout(trimmed, key: key, source: source)
            }
        case "header-timeout":
            headerTimeout = try Self.timeout(trimmed, key: key, source: source)
        case "body-timeout":
            bodyTimeout = try Self.timeout(trimmed, key: key, source: source)
        case "max-connections":
            guard let count = Int(trimmed), (1...1_000_000).contains(count) else {
                throw ConfigurationError("\(source): max-connections must be an integer from 1 to 1000000")
            }
            maxConnections = count
        default:
            throw ConfigurationError("\(source): unknown setting '\(key)' (known: \(Self.settingKeys.joined(separator: ", ")))")
        }
    }

    /// Applies every `FAULTLINE_*` variable that names a known setting.
    public mutating func apply(environment: [String: String]) throws {
        for key in Self.settingKeys {
            let name = Self.environmentName(for: key)
            if let value = environment[name] {
                try apply(key: key, value: value, source: "environment variable \(name)")
            }
        }
    }

    /// Applies a config file: a JSON object (`{"port": 8126, "data-dir": "/var/lib/faultline"}`) or
    /// `key = value` lines with `#` comments. Keys accept `-` or `_`.
    public mutating func apply(configFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("config file \(path): cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("config file \(path): not UTF-8 text")
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
            let settings: [String: ConfigFileValue]
            do {
                settings = try JSONDecoder().decode([String: ConfigFileValue].self, from: data)
            } catch {
                throw ConfigurationError("config file \(path): expected a JSON object of strings, numbers and booleans")
            }
            for (rawKey, value) in settings.sorted(by: { $0.key < $1.key }) {
                let key = rawKey.replacingOccurrences(of: "_", with: "-")
                try apply(key: key, value: value.text, source: "config file \(path)")
            }
            return
        }
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigurationError("config file \(path) line \(index + 1): expected key = value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-")
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            try apply(key: key, value: value, source: "config file \(path) line \(index + 1)")
        }
    }

    /// A positive duration (`90`, `90s`, `500ms`, `5m`) of at most a day, for the connection timeouts.
    private static func timeout(_ text: String, key: String, source: String) throws -> Duration {
        let seconds = text.lowercased().hasSuffix("ms") ? Double(text.dropLast(2)).map { $0 / 1000 } : duration(text)
        guard let seconds, seconds > 0, seconds <= 86400 else {
            throw ConfigurationError("\(source): \(key) must be a duration such as 500ms, 30s or 5m (at most 1d)")
        }
        return .milliseconds(max(1, Int64((seconds * 1000).rounded())))
    }

    /// `public-url`: an http(s) URL with a host and no credentials, query or fragment; empty unsets it.
    private static func publicURL(_ text: String, source: String) throws -> URL? {
        if text.isEmpty { return nil }
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.user == nil, components.password == nil, components.query == nil, components.fragment == nil,
              let url = components.url
        else {
            throw ConfigurationError("\(source): public-url must be an http or https URL such as https://faultline.example.com (no credentials, query or fragment)")
        }
        return url
    }

    private static func port(_ text: String, key: String, source: String) throws -> Int {
        guard let value = Int(text), (0...65535).contains(value) else {
            throw ConfigurationError("\(source): \(key) must be a port number (0-65535)")
        }
        return value
    }
}

/// One scalar of a JSON config file, kept as the text `apply(key:value:source:)` parses.
private struct ConfigFileValue: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = ""
        } else if let bool = try? container.decode(Bool.self) {
            text = bool ? "true" : "false"
        } else if let int = try? container.decode(Int.self) {
            text = String(int)
        } else {
            text = try container.decode(String.self)
        }
    }
}
