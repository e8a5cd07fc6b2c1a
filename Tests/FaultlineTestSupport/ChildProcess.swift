import Dispatch
import Foundation

/// Runs a program to completion and returns its exit status and output, without blocking the
/// cooperative thread pool.
public struct ChildProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        // Drain both pipes concurrently so a chatty child cannot block on a full pipe. The reads
        // block, so they run on Dispatch threads, never on the cooperative pool the server needs.
        async let outData = offPool { out.fileHandleForReading.readDataToEndOfFile() }
        async let errData = offPool { err.fileHandleForReading.readDataToEndOfFile() }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                // Nothing was started: close our write ends so the readers finish.
                try? out.fileHandleForWriting.close()
                try? err.fileHandleForWriting.close()
                continuation.resume(throwing: error)
            }
        }
        return Result(
            status: status,
            stdout: String(decoding: await outData, as: UTF8.self),
            stderr: String(decoding: await errData, as: UTF8.self)
        )
    }

    /// Runs blocking work on a Dispatch thread and awaits its result.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// Reads a started `faultline serve`'s standard output until its "faultline listening main …:PORT" line and
    /// returns the port; nil when the output ends first (the server exited).
    public static func listeningPort(_ output: FileHandle) async -> Int? {
        await offPool {
            var buffer = Data()
            while true {
                let chunk = output.availableData
                if chunk.isEmpty { return nil }
                buffer.append(chunk)
                for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") where line.hasPrefix("faultline listening main ") {
                    if let colon = line.lastIndex(of: ":"), let port = Int(line[line.index(after: colon)...]) { return port }
                }
            }
        }
    }

    /// The python3 on PATH.
    public static var python: String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/python3"
    }
}
