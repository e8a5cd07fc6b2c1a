// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Faultline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "faultline", targets: ["faultline"]),
        .executable(name: "faultline-bench", targets: ["FaultlineBench"]),
        .library(name: "FaultlineCore", targets: ["FaultlineCore"]),
        .library(name: "FaultlineIntake", targets: ["FaultlineIntake"]),
        .library(name: "FaultlineStore", targets: ["FaultlineStore"]),
        .library(name: "FaultlineServer", targets: ["FaultlineServer"]),
        .library(name: "FaultlineGit", targets: ["FaultlineGit"]),
        .library(name: "FaultlineEnrichment", targets: ["FaultlineEnrichment"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        .target(
            name: "FaultlineCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "FaultlineIntake",
            dependencies: [
                "FaultlineCore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["OTLP/Proto"]
        ),
        .target(
            name: "FaultlineStore",
            dependencies: [
                "FaultlineCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "FaultlineServer",
            dependencies: [
                "FaultlineCore",
                "FaultlineIntake",
                "FaultlineStore",
                "FaultlineGit",
                "FaultlineEnrichment",
                "FaultlineExplorer",
                "FaultlineMonitors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ]
        ),
        .target(
            name: "FaultlineMonitors",
            dependencies: [
                "FaultlineCore",
                "FaultlineStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .systemLibrary(
            name: "CLibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .target(
            name: "FaultlineGit",
            dependencies: ["CLibgit2"]
        ),
        .target(
            name: "FaultlineEnrichment",
            dependencies: [
                "FaultlineCore",
                "FaultlineGit",
                "FaultlineStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "FaultlineCLI",
            dependencies: [
                "FaultlineCore",
                "FaultlineIntake",
                "FaultlineStore",
                "FaultlineServer",
                "FaultlineEnrichment",
                "FaultlineMonitors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "faultline",
            dependencies: ["FaultlineCLI"]
        ),
        // Benchmarks are never part of the product; `scripts/bench NAME` builds and runs one.
        .executableTarget(
            name: "FaultlineBench",
            dependencies: [
                "FaultlineCore",
                "FaultlineIntake",
                "FaultlineStore",
                "FaultlineServer",
                "FaultlineGit",
                "FaultlineEnrichment",
                "FaultlineTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/FaultlineBench"
        ),
        .target(
            name: "FaultlineTestSupport",
            dependencies: ["FaultlineCore"],
            path: "Tests/FaultlineTestSupport"
        ),
        .testTarget(
            name: "FaultlineCoreTests",
            dependencies: ["FaultlineCore", "FaultlineTestSupport"]
        ),
        .testTarget(
            name: "FaultlineIntakeTests",
            dependencies: ["FaultlineIntake", "FaultlineCore", "FaultlineTestSupport"]
        ),
        .testTarget(
            name: "FaultlineStoreTests",
            dependencies: ["FaultlineStore", "FaultlineCore", "FaultlineTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "FaultlineServerTests",
            dependencies: [
                "FaultlineTestSupport",
                "FaultlineServer",
                "FaultlineIntake",
                "FaultlineStore",
                "FaultlineEnrichment",
                "FaultlineGit",
                "FaultlineCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .testTarget(
            name: "FaultlineCLITests",
            dependencies: ["FaultlineCLI", "FaultlineCore", "FaultlineGit", "FaultlineServer", "FaultlineTestSupport"]
        ),
        .testTarget(
            name: "FaultlineMonitorsTests",
            dependencies: [
                "FaultlineMonitors",
                "FaultlineServer",
                "FaultlineStore",
                "FaultlineCore",
                "FaultlineEnrichment",
                "FaultlineGit",
                "FaultlineTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "FaultlineGitTests",
            dependencies: ["FaultlineGit", "FaultlineTestSupport"]
        ),
        .testTarget(
            name: "FaultlineEnrichmentTests",
            dependencies: ["FaultlineEnrichment", "FaultlineGit", "FaultlineCore", "FaultlineTestSupport"]
        ),
        .testTarget(
            name: "FaultlineEnrichmentIntegrationTests",
            dependencies: ["FaultlineEnrichment", "FaultlineGit", "FaultlineStore", "FaultlineServer", "FaultlineCore", "FaultlineTestSupport"]
        ),
        // The web explorer's assets, embedded by scripts/embed-assets (no resource bundle).
        .target(
            name: "FaultlineExplorer",
            exclude: ["Assets"]
        ),
        .testTarget(
            name: "FaultlineExplorerTests",
            dependencies: ["FaultlineExplorer"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer targets (Fuzz/), added only when `scripts/fuzz` builds them with `-sanitize=fuzzer`: the
// executable calls libFuzzer's driver, which only a sanitized link provides.
if Context.environment["FAULTLINE_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "FaultlineFuzz",
            dependencies: ["FaultlineCore", "FaultlineIntake"],
            path: "Fuzz/Sources/FaultlineFuzz"
        )
    )
    package.products.append(.executable(name: "faultline-fuzz", targets: ["FaultlineFuzz"]))
}
