import ArgumentParser

/// `faultline bench`: throughput and latency benchmarks. Build with `-c release` before trusting a figure.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print its figures (build with -c release first).",
        subcommands: [ParseBench.self, IntakeBench.self, StoreBench.self, GitBench.self, APIBenchCommand.self]
    )
}
