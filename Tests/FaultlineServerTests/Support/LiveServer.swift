import FaultlineServer
import Foundation
import Hummingbird
import Logging

/// The real application on a loopback port, run until `stop()`: for tests that need real sockets.
final class LiveServer: Sendable {
    private actor Ports {
        var main: Int?
        func set(_ port: Int) { main = port }
    }

    let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    static func start(_ configuration: ServerConfiguration, logger: Logger = TestServer.logger) async throws -> LiveServer {
        let ports = Ports()
        let app = try await buildApplication(configuration, logger: logger) { name, port in
            if name == "main" { await ports.set(port) }
        }
        let task = Task { try await app.runService() }
        // The listener reports itself once bound (bounded wait).
        for _ in 0..<500 {
            if let port = await ports.main { return LiveServer(port: port, task: task) }
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        throw TestFailure("the server did not report its port")
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}
