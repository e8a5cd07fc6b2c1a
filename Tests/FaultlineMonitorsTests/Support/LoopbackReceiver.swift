import Foundation
import Hummingbird
import Logging
import NIOCore

/// A real HTTP receiver on a loopback port, started by the test: records every request and answers
/// each path with scripted statuses (then its default), as a webhook, Slack or PagerDuty would.
final class LoopbackReceiver: Sendable {
    struct Received: Sendable {
        var path: String
        var headers: [String: String]
        var body: Data
        var answered: Int
        var at: Date

        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    }

    actor Log {
        var requests: [Received] = []
        var scripted: [String: [Int]] = [:]
        var defaults: [String: Int] = [:]

        func answer(path: String) -> Int {
            if var queue = scripted[path], !queue.isEmpty {
                let status = queue.removeFirst()
                scripted[path] = queue
                return status
            }
            return defaults[path] ?? 200
        }

        func append(_ request: Received) { requests.append(request) }
        func script(_ path: String, _ statuses: [Int]) { scripted[path, default: []] += statuses }
        func setDefault(_ path: String, _ status: Int) { defaults[path] = status }
    }

    let log: Log
    let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>, log: Log) {
        self.port = port
        self.task = task
        self.log = log
    }

    static func start() async throws -> LoopbackReceiver {
        let log = Log()
        let router = Router()
        router.post("**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let path = request.uri.path
            let status = await log.answer(path: path)
            await log.append(Received(path: path, headers: headers, body: Data(buffer: body), answered: status, at: Date()))
            return Response(status: .init(code: status), body: ResponseBody(byteBuffer: ByteBuffer(string: status == 202 ? #"{"status":"success"}"# : "ok")))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "loopback-receiver")
        // Stopping logs the cancelled child channels at error level: not a failure of the test.
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw MonitorTestError("receiver did not start") }
        return LoopbackReceiver(port: port, task: task, log: log)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func requests(_ path: String? = nil) async -> [Received] {
        await log.requests.filter { path == nil || $0.path == path }
    }

    /// Waits (bounded) until `path` has received `count` requests answered 2xx; returns all its requests.
    func waitForDelivered(_ path: String, count: Int, timeout: Duration = .seconds(60)) async throws -> [Received] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let received = await requests(path)
            if received.filter({ (200...299).contains($0.answered) }).count >= count { return received }
            try await Task.sleep(for: .milliseconds(50))
        }
        let received = await requests(path)
        throw MonitorTestError("\(path) received \(received.count) requests (\(received.map(\.answered))), expected \(count) delivered")
    }

    func stop() { task.cancel() }
}
