import ArgumentParser

/// `faultline-bench` (run through `scripts/bench NAME`): throughput and latency benchmarks. Build
/// with `-c release` before trusting a figure.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faultline-bench",
        abstract: "Run a benchmark and print its figures (scripts/bench builds it in release mode).",
        subcommands: [ParseBench.self, IntakeBench.self, StoreBench.self, GitBench.self, DeployBench.self, APIBenchCommand.self, MonitorsBench.self]
    )
}
