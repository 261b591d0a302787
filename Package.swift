// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "outpost",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "outpost", targets: ["outpost"]),
        .executable(name: "promql-conformance", targets: ["promql-conformance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "OutpostCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "OutpostMetrics", dependencies: ["OutpostCore"]),
        .target(
            name: "Server",
            dependencies: [
                "OutpostCore", "OutpostMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "outpost",
            dependencies: [
                "OutpostCore", "OutpostMetrics", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "TSDB", dependencies: ["OutpostCore"]),
        .target(name: "PromQL", dependencies: ["TSDB", "OutpostCore"]),
        .target(name: "PromQLConformance", dependencies: ["PromQL", "TSDB", "OutpostCore"]),
        .executableTarget(name: "promql-conformance", dependencies: ["PromQLConformance"]),
        .target(name: "MallocCounter", path: "Benchmarks/MallocCounter"),
        .executableTarget(
            name: "outpost-bench",
            dependencies: ["OutpostCore", "OutpostMetrics", "MallocCounter", "TSDB", "PromQL"],
            path: "Benchmarks/OutpostBenchmarks"
        ),
        .testTarget(name: "TSDBTests", dependencies: ["TSDB", "OutpostCore"]),
        .testTarget(
            name: "PromQLTests",
            dependencies: ["PromQL", "PromQLConformance", "TSDB", "OutpostCore"],
            exclude: ["conformance-floor.txt"]
        ),
        .testTarget(name: "OutpostCoreTests", dependencies: ["OutpostCore"]),
        .testTarget(name: "OutpostMetricsTests", dependencies: ["OutpostMetrics", "OutpostCore"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "OutpostMetrics", "OutpostCore",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
    ]
)
