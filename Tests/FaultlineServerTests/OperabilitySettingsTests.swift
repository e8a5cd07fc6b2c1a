import FaultlineServer
import Foundation
import Testing

/// `log-format`, `idle-timeout`, `header-timeout`, `body-timeout` and `max-connections` read like every
/// other setting: config file, `FAULTLINE_*` environment, then flags; bad values name the key.
@Suite("Operability settings")
struct OperabilitySettingsTests {
    @Test("each setting from the environment")
    func environment() throws {
        var configuration = ServerConfiguration()
        #expect(configuration.logFormat == .text)
        try configuration.apply(environment: [
            "FAULTLINE_LOG_FORMAT": "JSON", "FAULTLINE_IDLE_TIMEOUT": "2m", "FAULTLINE_HEADER_TIMEOUT": "500ms",
            "FAULTLINE_BODY_TIMEOUT": "90", "FAULTLINE_MAX_CONNECTIONS": "64",
        ])
        #expect(configuration.logFormat == .json)
        #expect(configuration.idleTimeout == .seconds(120))
        #expect(configuration.headerTimeout == .milliseconds(500))
        #expect(configuration.bodyTimeout == .seconds(90))
        #expect(configuration.maxConnections == 64)
        try configuration.apply(key: "idle-timeout", value: "off", source: "--idle-timeout")
        #expect(configuration.idleTimeout == nil)
        #expect(configuration.description.contains("log-format=json idle-timeout=off"))
    }

    @Test("a config file sets them too")
    func configFile() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("faultline.conf")
        try "log-format = json\nidle_timeout = 30s\nmax-connections = 100\n".write(to: file, atomically: true, encoding: .utf8)
        var configuration = ServerConfiguration()
        try configuration.apply(configFile: file.path)
        #expect(configuration.logFormat == .json)
        #expect(configuration.idleTimeout == .seconds(30))
        #expect(configuration.maxConnections == 100)
    }

    static let invalid: [(String, String, String)] = [
        ("log-format", "xml", "log-format must be text or json"),
        ("idle-timeout", "soon", "idle-timeout must be a duration"),
        ("idle-timeout", "0", "idle-timeout must be a duration"),
        ("header-timeout", "-5s", "header-timeout must be a duration"),
        ("body-timeout", "2d", "body-timeout must be a duration"),
        ("header-timeout", "off", "header-timeout must be a duration"),
        ("max-connections", "0", "max-connections must be an integer from 1 to 1000000"),
        ("max-connections", "many", "max-connections must be an integer from 1 to 1000000"),
    ]

    @Test("bad values are rejected with the key named", arguments: invalid)
    func rejected(_ key: String, _ value: String, _ message: String) {
        var configuration = ServerConfiguration()
        #expect {
            try configuration.apply(key: key, value: value, source: "--\(key)")
        } throws: { error in
            (error as? ConfigurationError)?.description.hasPrefix("--\(key): \(message)") == true
        }
    }
}
