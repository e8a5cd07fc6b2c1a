import FaultlineServer
import Foundation
import Hummingbird
import Logging

/// Builds the real application for tests: loopback, port 0, no second listener, a temporary store.
enum TestServer {
    static func configuration(dataDirectory: URL, _ configure: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
        var configuration = ServerConfiguration(
            host: "127.0.0.1",
            port: 0,
            otlpPort: nil,
            dataDirectory: dataDirectory.path,
            reposDirectory: dataDirectory.appendingPathComponent("repos").path
        )
        configuration.logLevel = "warning"
        configure(&configuration)
        return configuration
    }

    static func application(dataDirectory: URL, _ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> some ApplicationProtocol {
        try await buildApplication(configuration(dataDirectory: dataDirectory, configure), logger: logger)
    }

    static func router(dataDirectory: URL) async throws -> Router<FaultlineRequestContext> {
        let configuration = configuration(dataDirectory: dataDirectory)
        let store = try await StoreOpener.open(configuration: configuration)
        return buildRouter(configuration, store: store)
    }

    static var logger: Logger {
        var logger = Logger(label: "faultline-test")
        logger.logLevel = .warning
        return logger
    }
}
