import FaultlineTestSupport
import FaultlineCore
import Foundation
import Testing

/// Runs the real `faultline` binary (built by `swift build --build-tests`) and compares what it prints.
@Suite struct ParseCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// What `faultline parse` prints, decoded.
    struct Report: Decodable {
        var language: Language
        var type: String
        var message: String
        var normalizedMessage: String
        var exceptions: [ExceptionTrace]
        var fingerprint: Fingerprint
        var warnings: [String]
    }

    private func faultline(_ arguments: [String], stdin: Data? = nil) throws -> Run {
        let binary = URL(fileURLWithPath: CLIEnvironment.binary)
        try #require(
            FileManager.default.isExecutableFile(atPath: binary.path),
            "\(binary.path) is missing: run `swift build --build-tests` (scripts/test does) before the tests"
        )
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    private func stackFile(_ directory: String, _ name: String) throws -> (GroupingFixture, URL) {
        let fixture = try GroupingFixture.load(directory, name)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-parse-\(UUID().uuidString).txt")
        try Data(fixture.stack.utf8).write(to: url)
        return (fixture, url)
    }

    @Test(arguments: ["python", "node", "java", "go", "ruby", "php"])
    func printsWhatTheGrouperComputes(directory: String) throws {
        let (fixture, url) = try stackFile(directory, "v1-checkout-a")
        defer { try? FileManager.default.removeItem(at: url) }
        let tag = try #require(GroupingFixture.languageTags[directory])
        let run = try faultline(["parse", "--language", tag, "--type", fixture.type, "--message", fixture.message, url.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("{\n  \"exceptions\" : ["), "pretty JSON with sorted keys")
        let report = try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8))
        let expected = Grouper().group(fixture.event(language: tag))
        #expect(report.language == expected.stackTrace.language)
        #expect(report.exceptions == expected.stackTrace.exceptions)
        #expect(report.normalizedMessage == expected.normalizedMessage)
        #expect(report.fingerprint == expected.fingerprint)
        #expect(report.warnings == expected.stackTrace.warnings)
        #expect(report.type == fixture.type)
        #expect(report.message == fixture.message)
        #expect(report.fingerprint.version == Grouper.version)
        #expect(report.fingerprint.parts.contains("message:\(expected.normalizedMessage)"))
    }

    @Test func readsStandardInputLikeAFile() throws {
        let (fixture, url) = try stackFile("python", "v1-refund-a")
        defer { try? FileManager.default.removeItem(at: url) }
        let fromFile = try faultline(["parse", "--type", fixture.type, "--message", fixture.message, url.path])
        let fromStdin = try faultline(["parse", "--type", fixture.type, "--message", fixture.message, "-"], stdin: Data(fixture.stack.utf8))
        #expect(fromFile.status == 0 && fromStdin.status == 0)
        #expect(fromFile.stdout == fromStdin.stdout)
        #expect(!fromStdin.stdout.isEmpty)
    }

    @Test func fingerprintOptionOverrides() throws {
        let run = try faultline(["parse", "--type", "E", "--fingerprint", "my-group", "-"], stdin: Data("boom".utf8))
        let report = try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8))
        #expect(report.fingerprint.value == "my-group")
        #expect(report.fingerprint.overridden)
    }

    @Test func binaryInputIsParsedNotRejected() throws {
        var generator = SplitMix64(seed: 11)
        let garbage = Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        let run = try faultline(["parse", "-"], stdin: garbage)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8)).fingerprint.version == Grouper.version)
    }

    @Test(arguments: [
        (["parse", "/nonexistent/trace.txt"], "no such file: /nonexistent/trace.txt"),
        (["parse", "/"], "cannot read file: /"),
        (["parse", "--language", "cobol", "-"], "unknown language 'cobol'"),
    ])
    func badInvocationsFailWithAMessage(arguments: [String], message: String) throws {
        let run = try faultline(arguments, stdin: Data())
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}
