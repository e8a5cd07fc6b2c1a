import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with Faultline's connection limits: its idle timeout, plus the
/// header and body deadlines of ``RequestDeadline`` on each connection.
struct TimedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let idleTimeout: Duration?
    let headerTimeout: Duration
    let bodyTimeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let deadline = RequestDeadline(headerTimeout: TimeAmount(headerTimeout), bodyTimeout: TimeAmount(bodyTimeout))
        let bound = NIOLoopBound(deadline, eventLoop: channel.eventLoop)
        let http = HTTP1Channel(
            responder: responder,
            configuration: .init(
                additionalChannelHandlers: [RequestPartsHandler(deadline: bound.value)],
                idleTimeout: idleTimeout.map(TimeAmount.init)
            )
        )
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestBytesHandler(deadline: bound.value))
        }.flatMap {
            http.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await HTTP1Channel(responder: responder).handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with Faultline's idle, header and body timeouts.
    static func timedHTTP1(idleTimeout: Duration?, headerTimeout: Duration, bodyTimeout: Duration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            TimedHTTP1Channel(responder: responder, idleTimeout: idleTimeout, headerTimeout: headerTimeout, bodyTimeout: bodyTimeout)
        }
    }
}

/// Hummingbird's connection cap, also counting open connections into ``ServerMetrics``.
struct CountedConnectionLimit: AvailableConnectionsDelegate {
    var limit: MaximumAvailableConnections
    let metrics: ServerMetrics?

    mutating func connectionOpened() {
        limit.connectionOpened()
        metrics?.connectionsOpen.increment()
    }

    mutating func connectionClosed() {
        limit.connectionClosed()
        metrics?.connectionsOpen.decrement()
    }

    func isAcceptingNewConnections() -> Bool {
        limit.isAcceptingNewConnections()
    }
}
