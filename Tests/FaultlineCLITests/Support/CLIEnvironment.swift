import FaultlineTestSupport
import Foundation

/// Paths for tests that run the built `faultline` binary.
enum CLIEnvironment {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The debug binary `swift build --build-tests` leaves beside the test bundle.
    static var binary: String {
        packageRoot.appendingPathComponent(".build/debug/faultline").path
    }

    static func fixture(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/Fixtures/server").appendingPathComponent(name).path
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `faultline` with arguments.
    static func faultline(_ arguments: [String]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(binary, arguments)
    }
}
