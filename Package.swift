// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Faultline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "faultline", targets: ["faultline"]),
        .library(name: "FaultlineCore", targets: ["FaultlineCore"]),
        .library(name: "FaultlineIntake", targets: ["FaultlineIntake"]),
        .library(name: "FaultlineStore", targets: ["FaultlineStore"]),
        .library(name: "FaultlineGit", targets: ["FaultlineGit"]),
        .library(name: "FaultlineEnrichment", targets: ["FaultlineEnrichment"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
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
            dependencies: ["FaultlineCore", .product(name: "GRDB", package: "GRDB.swift")]
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
            dependencies: ["FaultlineCore", "FaultlineGit"]
        ),
        .executableTarget(
            name: "faultline",
            dependencies: [
                "FaultlineCore",
                "FaultlineIntake",
                "FaultlineStore",
                "FaultlineGit",
                "FaultlineEnrichment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "FaultlineCoreTests",
            dependencies: ["FaultlineCore"]
        ),
        .testTarget(
            name: "FaultlineIntakeTests",
            dependencies: ["FaultlineIntake", "FaultlineCore"]
        ),
        .testTarget(
            name: "FaultlineStoreTests",
            dependencies: ["FaultlineStore", "FaultlineCore"]
        ),
        .testTarget(
            name: "FaultlineGitTests",
            dependencies: ["FaultlineGit"]
        ),
        .testTarget(
            name: "FaultlineEnrichmentTests",
            dependencies: ["FaultlineEnrichment", "FaultlineGit", "FaultlineCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
