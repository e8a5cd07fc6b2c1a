import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// One connection's read deadlines: a request's headers must all arrive within `headerTimeout` of its
/// first byte, and its body within `bodyTimeout` of its headers; otherwise the connection is closed (a
/// slow-header one first answered 408, as nothing else has written to it yet). Hummingbird's idle timeout
/// covers the time between requests; this covers a request that starts and then trickles.
///
/// Two handlers share it: ``RequestBytesHandler`` before the HTTP decoder sees the first byte of each
/// request, ``RequestPartsHandler`` after it sees the head and the end. All three live on the
/// connection's event loop.
final class RequestDeadline {
    private enum Phase {
        /// Between requests (or before the first): the idle timeout applies.
        case idle
        /// Bytes of a request arrived, its head is not complete yet.
        case readingHead
        /// The head arrived, the body has not ended.
        case readingBody
        /// The request is read; the application is answering it.
        case answering
    }

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private var phase = Phase.idle
    private var timer: Scheduled<Void>?

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    /// Raw bytes arrived (`context` is the bytes handler's, right at the socket).
    func bytesArrived(context: ChannelHandlerContext) {
        guard phase == .idle else { return }
        phase = .readingHead
        schedule(headerTimeout, context: context) { context in
            // Nothing was handed to the application: answer 408 directly on the socket, then close.
            let body = #"{"error":"request headers not received in time"}"#
            let head = "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json; charset=utf-8\r\n"
                + "content-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n"
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: head + body))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    /// The decoder produced a request head (`context` is the parts handler's).
    func headArrived(context: ChannelHandlerContext) {
        phase = .readingBody
        schedule(bodyTimeout, context: context) { context in
            context.close(promise: nil)
        }
    }

    /// The request's end arrived: it is fully read.
    func requestRead() {
        cancel()
        phase = .answering
    }

    /// The answer's end was written: the connection is idle again (bytes of a pipelined request may follow).
    func answerWritten() {
        if phase == .answering { phase = .idle }
    }

    func cancel() {
        timer?.cancel()
        timer = nil
    }

    private func schedule(_ delay: TimeAmount, context: ChannelHandlerContext, _ expire: @escaping (ChannelHandlerContext) -> Void) {
        cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            self.timer = nil
            expire(context)
        }
    }
}

/// Sees each request's first byte, before the HTTP decoder.
final class RequestBytesHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let deadline: RequestDeadline

    init(deadline: RequestDeadline) {
        self.deadline = deadline
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deadline.bytesArrived(context: context)
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline.cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline.cancel()
    }
}

/// Sees each request's head and end, and each answer's end, after the HTTP decoder.
final class RequestPartsHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let deadline: RequestDeadline

    init(deadline: RequestDeadline) {
        self.deadline = deadline
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadline.headArrived(context: context)
        case .body: break
        case .end: deadline.requestRead()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            deadline.answerWritten()
        }
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension RequestDeadline: Sendable {}

@available(*, unavailable)
extension RequestBytesHandler: Sendable {}

@available(*, unavailable)
extension RequestPartsHandler: Sendable {}
