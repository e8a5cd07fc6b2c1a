// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Faultline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "faultline", targets: ["faultline"]),
        .library(name: "FaultlineCore", targets: ["FaultlineCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(
            name: "FaultlineCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "faultline",
            dependencies: [
                "FaultlineCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "FaultlineCoreTests",
            dependencies: ["FaultlineCore"]
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
