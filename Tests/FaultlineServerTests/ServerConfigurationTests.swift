import FaultlineCore
import FaultlineEnrichment
import FaultlineServer
import Foundation
import Testing

@Suite("Server configuration")
struct ServerConfigurationTests {
    @Test("defaults listen where tracers send by default")
    func defaults() {
        let configuration = ServerConfiguration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8126)
        #expect(configuration.otlpPort == 4318)
        #expect(configuration.dataDirectory == "./data")
        #expect(configuration.reposDirectory == "./repos")
        #expect(configuration.maxBodyBytes == 25 * 1024 * 1024)
        #expect(configuration.entrySpansOnly)
    }

    @Test("--allow-repo patterns add to the default forges; default-allow-repo=false drops them")
    func allowRepoAddsToTheDefaults() throws {
        func allows(_ configuration: ServerConfiguration, _ url: String) throws -> Bool {
            configuration.repositoryAllowList.allows(try RepositoryURL(url))
        }
        var configuration = ServerConfiguration()
        #expect(try allows(configuration, "https://github.com/acme/shop"))
        #expect(try !allows(configuration, "https://git.acme.internal/shop"))
        try configuration.apply(key: "allow-repo", value: "https://git.acme.internal/*", source: "--allow-repo")
        #expect(try allows(configuration, "https://git.acme.internal/shop"))
        #expect(try allows(configuration, "https://github.com/acme/shop"), "the defaults stay")
        try configuration.apply(key: "default-allow-repo", value: "false", source: "FAULTLINE_DEFAULT_ALLOW_REPO")
        #expect(try !allows(configuration, "https://github.com/acme/shop"))
        #expect(try allows(configuration, "https://git.acme.internal/shop"))
        #expect(throws: ConfigurationError.self) { try configuration.apply(key: "default-allow-repo", value: "maybe", source: "x") }
        try configuration.apply(key: "enrichment-retry-initial", value: "5m", source: "x")
        #expect(configuration.enrichmentRetryInitial == 300)
        #expect(throws: ConfigurationError.self) { try configuration.apply(key: "enrichment-retry-max", value: "soon", source: "x") }
    }

    @Test("environment variables override the config file")
    func environmentOverFile() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("faultline.conf")
        try """
        # Faultline settings
        port = 9000
        otlp_port = off
        data-dir = "/var/lib/faultline"
        api-token = s3cret
        """.write(to: file, atomically: true, encoding: .utf8)
        var configuration = ServerConfiguration()
        try configuration.apply(configFile: file.path)
        #expect(configuration.port == 9000)
        #expect(configuration.otlpPort == nil)
        #expect(configuration.dataDirectory == "/var/lib/faultline")
        #expect(configuration.apiToken == "s3cret")
        try configuration.apply(environment: ["FAULTLINE_PORT": "9100", "FAULTLINE_OTLP_PORT": "4319", "FAULTLINE_ENTRY_SPANS_ONLY": "false", "UNRELATED": "x"])
        #expect(configuration.port == 9100)
        #expect(configuration.otlpPort == 4319)
        #expect(!configuration.entrySpansOnly)
        #expect(!configuration.description.contains("s3cret"))
    }

    @Test("a JSON config file is read with numbers and booleans")
    func jsonFile() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("faultline.json")
        try #"{"host": "0.0.0.0", "port": 8200, "otlp_port": 4400, "entry-spans-only": false, "max_body_bytes": 1048576}"#
            .write(to: file, atomically: true, encoding: .utf8)
        var configuration = ServerConfiguration()
        try configuration.apply(configFile: file.path)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 8200)
        #expect(configuration.otlpPort == 4400)
        #expect(!configuration.entrySpansOnly)
        #expect(configuration.maxBodyBytes == 1_048_576)
    }

    @Test("bad values are named with their source", arguments: [
        ("port", "80000", "FAULTLINE_PORT"),
        ("port", "http", "FAULTLINE_PORT"),
        ("max-body-bytes", "-1", "FAULTLINE_MAX_BODY_BYTES"),
        ("entry-spans-only", "maybe", "FAULTLINE_ENTRY_SPANS_ONLY"),
        ("log-level", "loud", "FAULTLINE_LOG_LEVEL"),
    ])
    func badValues(key: String, value: String, variable: String) {
        var configuration = ServerConfiguration()
        #expect(ServerConfiguration.environmentName(for: key) == variable)
        do {
            try configuration.apply(environment: [variable: value])
            Testing.Issue.record("expected \(variable)=\(value) to be rejected")
        } catch {
            #expect("\(error)".contains(variable))
        }
    }

    @Test("unknown keys and unreadable files are errors")
    func unknownKey() throws {
        var configuration = ServerConfiguration()
        #expect(throws: ConfigurationError.self) { try configuration.apply(key: "prot", value: "1", source: "test") }
        #expect(throws: ConfigurationError.self) { try configuration.apply(configFile: "/nonexistent/faultline.conf") }
    }

    @Test("max-store-bytes takes sizes with units, and refuses what is not one", arguments: [
        ("1048576", Int64(1_048_576)), ("500MB", Int64(500) << 20), ("2GB", Int64(2) << 30), ("1.5GiB", Int64(3) << 29), ("64k", Int64(64) << 10),
    ])
    func storeSizeLimit(text: String, bytes: Int64) throws {
        var configuration = ServerConfiguration()
        try configuration.apply(key: "max-store-bytes", value: text, source: "test")
        #expect(configuration.maxStoreBytes == bytes)
        try configuration.apply(key: "max-store-bytes", value: "off", source: "test")
        #expect(configuration.maxStoreBytes == nil)
        for bad in ["lots", "-5MB", "5XB"] {
            #expect(throws: ConfigurationError.self) { try configuration.apply(key: "max-store-bytes", value: bad, source: "test") }
        }
    }
}
