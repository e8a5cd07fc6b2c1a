import FaultlineServer
import Foundation
import Testing

@Suite("public-url setting")
struct PublicURLSettingTests {
    @Test("http(s) URLs with a host are accepted from the environment and config files", arguments: [
        ("https://faultline.acme.test", "https://faultline.acme.test"),
        ("https://faultline.acme.test/", "https://faultline.acme.test"),
        ("http://10.0.0.5:8126", "http://10.0.0.5:8126"),
        ("https://acme.test/faultline", "https://acme.test/faultline"),
    ])
    func accepted(value: String, expected: String) throws {
        var configuration = ServerConfiguration()
        try configuration.apply(environment: ["FAULTLINE_PUBLIC_URL": value])
        #expect(configuration.publicURL?.absoluteString == expected)
        #expect(configuration.description.contains("public-url=\(expected)"))
    }

    @Test("anything else is refused with the key named", arguments: [
        "faultline.acme.test", "ftp://acme.test", "https://", "https://user:pw@acme.test", "https://acme.test/?a=b", "https://acme.test/#x",
    ])
    func refused(value: String) {
        var configuration = ServerConfiguration()
        #expect(throws: ConfigurationError.self) { try configuration.apply(key: "public-url", value: value, source: "test") }
        do {
            try configuration.apply(key: "public-url", value: value, source: "test")
        } catch {
            #expect("\(error)".contains("public-url must be"))
            #expect(!"\(error)".contains("pw"))
        }
    }

    @Test("empty unsets it, and it is a known setting key")
    func unset() throws {
        var configuration = ServerConfiguration()
        try configuration.apply(key: "public-url", value: "https://a.test", source: "test")
        try configuration.apply(key: "public-url", value: "", source: "test")
        #expect(configuration.publicURL == nil)
        #expect(ServerConfiguration.settingKeys.contains("public-url"))
    }
}
