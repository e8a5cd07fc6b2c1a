import Hummingbird
import HummingbirdCore
import Logging

extension ServerConfiguration {
    /// HTTP/1 with the configured idle, header and body timeouts.
    var httpServer: HTTPServerBuilder {
        .timedHTTP1(idleTimeout: idleTimeout, headerTimeout: headerTimeout, bodyTimeout: bodyTimeout)
    }

    /// One listener's address, with the connection cap (`max-connections`) counted into `metrics`.
    func applicationConfiguration(port: Int, metrics: ServerMetrics?, logger: Logger) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(host, port: port),
            serverName: "faultline",
            availableConnectionsDelegate: CountedConnectionLimit(limit: MaximumAvailableConnections(maxConnections, logger: logger), metrics: metrics)
        )
    }
}
