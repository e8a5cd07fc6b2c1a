import ArgumentParser
import FaultlineCore
import FaultlineTestSupport
import Foundation

/// `scripts/bench parse`: parse + fingerprint throughput on a mixed corpus of every language's fixtures.
struct ParseBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse and fingerprint a mixed corpus of real stack traces single-threaded; print traces/s per core."
    )

    @Option(help: "Fixture directory holding stacks/<language>/ and grouping/traces/<language>/ (default: this checkout's Tests/Fixtures).")
    var fixtures: String?

    @Option(help: "Seconds to run the mixed corpus.")
    var seconds: Double = 3

    func validate() throws {
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
    }

    func run() throws {
        let directory = fixtures.map { URL(fileURLWithPath: $0) } ?? Self.defaultFixtures
        let corpus = try Self.corpus(in: directory)
        guard !corpus.isEmpty else { throw BenchFailure("no fixtures under \(directory.path)") }
        let bytes = corpus.reduce(0) { $0 + $1.errorStack.utf8.count }
        let byLanguage = Dictionary(grouping: corpus) { $0.language ?? "detected" }
        let summary = byLanguage.keys.sorted().map { "\($0) \(byLanguage[$0]?.count ?? 0)" }.joined(separator: ", ")
        print("corpus: \(corpus.count) traces (\(summary)), \(bytes) bytes of stack text")

        let grouper = Grouper()
        // One pass to warm caches and lazily initialised globals.
        var sink = 0
        for event in corpus { sink &+= grouper.group(event).fingerprint.value.utf8.count }

        let (traces, elapsed) = measure(corpus, grouper: grouper, seconds: seconds, sink: &sink)
        let perSecond = Double(traces) / elapsed
        print(String(format: "mixed: %d traces in %.2f s of CPU time, single-threaded", traces, elapsed))
        print(String(format: "traces/s per core: %.0f", perSecond))
        print(String(format: "µs per trace: %.2f", 1_000_000 / perSecond))
        // The split: the parsers alone, then normalising and fingerprinting already-parsed traces.
        let parsed = corpus.map { StackTraceParser.parse($0.errorStack, language: $0.language.flatMap(Language.init(tag:))) }
        let parseTime = timeLoop(seconds: min(1, seconds)) {
            for event in corpus {
                sink &+= StackTraceParser.parse(event.errorStack, language: event.language.flatMap(Language.init(tag:))).exceptions.count
            }
            return corpus.count
        }
        let fingerprintTime = timeLoop(seconds: min(1, seconds)) {
            for (event, trace) in zip(corpus, parsed) {
                let message = MessageNormalizer.normalize(event.errorMessage.isEmpty ? (trace.exceptions.first?.message ?? "") : event.errorMessage)
                sink &+= Fingerprinter.fingerprint(type: event.errorType, message: message, trace: trace).value.utf8.count
            }
            return corpus.count
        }
        print(String(format: "  parse only: %.2f µs per trace; normalise + fingerprint only: %.2f µs per trace", parseTime, fingerprintTime))
        for language in byLanguage.keys.sorted() {
            let events = byLanguage[language] ?? []
            let (count, time) = measure(events, grouper: grouper, seconds: min(0.5, seconds), sink: &sink)
            print(String(format: "  %@: %.2f µs per trace", language, time * 1_000_000 / Double(count)))
        }
        if sink == 42 { print("") }  // Keeps the work observable so the optimiser cannot drop it.
    }

    /// Runs the corpus until `seconds` of wall time pass; traces handled and the CPU seconds this thread used.
    /// CPU time, not wall time, because the machine is shared: time spent descheduled is not ours.
    private func measure(_ events: [ErrorEvent], grouper: Grouper, seconds: Double, sink: inout Int) -> (Int, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = Self.threadCPUSeconds()
        let budget = UInt64(seconds * 1_000_000_000)
        var count = 0
        repeat {
            for event in events {
                sink &+= grouper.group(event).fingerprint.value.utf8.count
            }
            count += events.count
        } while DispatchTime.now().uptimeNanoseconds - start < budget
        return (count, Self.threadCPUSeconds() - cpuStart)
    }

    static func threadCPUSeconds() -> Double {
        CPUTime.thread
    }

    /// Runs `body` (which returns how many traces it handled) for `seconds`; CPU microseconds per trace.
    private func timeLoop(seconds: Double, _ body: () -> Int) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = Self.threadCPUSeconds()
        let budget = UInt64(seconds * 1_000_000_000)
        var count = 0
        repeat {
            count += body()
        } while DispatchTime.now().uptimeNanoseconds - start < budget
        return (Self.threadCPUSeconds() - cpuStart) * 1_000_000 / Double(count)
    }

    static let defaultFixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures")

    /// Every `*.txt` trace under stacks/<language>/ and grouping/traces/<language>/, tagged with its language.
    static func corpus(in directory: URL) throws -> [ErrorEvent] {
        var events: [ErrorEvent] = []
        for area in ["stacks", "grouping/traces"] {
            let base = directory.appendingPathComponent(area)
            let languages = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
            for language in languages.sorted() {
                guard let tag = Language(tag: language)?.rawValue else { continue }
                let folder = base.appendingPathComponent(language)
                let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                for file in files.sorted() where file.hasSuffix(".txt") {
                    guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path) else { continue }
                    events.append(event(String(decoding: data, as: UTF8.self), language: tag))
                }
            }
        }
        return events
    }

    /// A grouping fixture carries `type:`/`message:` headers before `---`; a stacks fixture is the bare trace.
    private static func event(_ text: String, language: String) -> ErrorEvent {
        var type = "", message = "", stack = text
        if let separator = text.range(of: "\n---\n"), text.hasPrefix("type: ") {
            for line in text[..<separator.lowerBound].split(separator: "\n") {
                if line.hasPrefix("type: ") { type = String(line.dropFirst(6)) }
                if line.hasPrefix("message: ") { message = String(line.dropFirst(9)) }
            }
            stack = String(text[separator.upperBound...])
        }
        return ErrorEvent(traceID: "", spanID: "", service: "bench", errorType: type, errorMessage: message, errorStack: stack,
                          language: language, origin: .file)
    }
}
