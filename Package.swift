// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "outpost",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "outpost", targets: ["outpost"]),
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
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "Probing",
            dependencies: [
                "OutpostCore", "OutpostMetrics", "CCurl",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
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
        .target(name: "MallocCounter", path: "Benchmarks/MallocCounter"),
        .executableTarget(
            name: "outpost-bench",
            dependencies: ["OutpostCore", "OutpostMetrics", "MallocCounter", "Probing"],
            path: "Benchmarks/OutpostBenchmarks"
        ),
        .testTarget(name: "OutpostCoreTests", dependencies: ["OutpostCore"]),
        .testTarget(name: "OutpostMetricsTests", dependencies: ["OutpostMetrics", "OutpostCore"]),
        .testTarget(
            name: "ProbingTests",
            dependencies: [
                "Probing", "OutpostMetrics", "OutpostCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "OutpostMetrics", "OutpostCore",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
    ]
)
