// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// The commit being built, read from .git so `outpost_build_info` can report it.
func gitRevision() -> String {
    let git = Context.packageDirectory + "/.git"
    guard let head = try? String(contentsOfFile: git + "/HEAD", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) else {
        return "unknown"
    }
    guard head.hasPrefix("ref: ") else { return String(head.prefix(12)) }
    let ref = String(head.dropFirst(5))
    if let hash = try? String(contentsOfFile: git + "/" + ref, encoding: .utf8) {
        return String(hash.trimmingCharacters(in: .whitespacesAndNewlines).prefix(12))
    }
    let packed = (try? String(contentsOfFile: git + "/packed-refs", encoding: .utf8)) ?? ""
    for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
        return String(line.prefix(12))
    }
    return "unknown"
}

let package = Package(
    name: "outpost",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "outpost", targets: ["outpost"]),
        .executable(name: "statsd-load", targets: ["statsd-load"]),
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
                "CThreads",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "CPrefetch"),
        .target(name: "CThreads"),
        .target(name: "CEpoll"),
        .target(name: "OutpostMetrics", dependencies: ["OutpostCore", "CPrefetch"]),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "Probing",
            dependencies: [
                "OutpostCore", "OutpostMetrics", "CCurl", "COpenSSL", "CEpoll",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Server",
            dependencies: [
                "OutpostCore", "OutpostMetrics", "Probing", "PromQL", "TSDB", "Alerting", "Rules",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "SQLiteStore", dependencies: ["CSQLite"]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(
            name: "Alerting",
            dependencies: [
                "OutpostCore", "OutpostMetrics", "SQLiteStore", "COpenSSL", "Templating",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "CBuildInfo", cSettings: [.define("OUTPOST_REVISION", to: "\"\(gitRevision())\"")]),
        .executableTarget(
            name: "outpost",
            dependencies: [
                "OutpostCore", "OutpostMetrics", "Server", "CBuildInfo", "StatsD", "TSDB", "PromQL", "Probing", "Alerting", "Rules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "CStatsD"),
        .target(
            name: "StatsD",
            dependencies: [
                "OutpostCore", "OutpostMetrics", "CStatsD",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "TSDB", dependencies: ["OutpostCore", "OutpostMetrics", .product(name: "Logging", package: "swift-log")]),
        .target(name: "PromQL", dependencies: ["TSDB", "OutpostCore"]),
        .target(name: "Templating", dependencies: ["OutpostCore"]),
        .target(name: "PromQLConformance", dependencies: ["PromQL", "TSDB", "OutpostCore"]),
        .target(
            name: "Rules",
            dependencies: [
                "OutpostCore", "OutpostMetrics", "TSDB", "PromQL", "SQLiteStore", "Templating",
                .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "promql-conformance", dependencies: ["PromQLConformance"]),
        .target(name: "StatsDLoadMix", path: "Benchmarks/StatsDLoadMix"),
        .executableTarget(
            name: "statsd-load",
            dependencies: ["CStatsD", "StatsD", "StatsDLoadMix", "OutpostCore", "OutpostMetrics"],
            path: "Benchmarks/StatsDLoad"
        ),
        .target(name: "MallocCounter", path: "Benchmarks/MallocCounter"),
        .target(name: "ProbeFloor", path: "Benchmarks/ProbeFloor", linkerSettings: [.linkedLibrary("curl")]),
        .executableTarget(
            name: "outpost-bench",
            dependencies: [
                "OutpostCore", "OutpostMetrics", "StatsD", "StatsDLoadMix", "MallocCounter", "ProbeFloor", "TSDB", "PromQL", "Probing",
                "Alerting", "Templating", "Rules", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/OutpostBenchmarks"
        ),
        .target(
            name: "OutpostTestSupport",
            dependencies: ["COpenSSL", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            path: "Tests/OutpostTestSupport"
        ),
        .testTarget(name: "TSDBTests", dependencies: ["TSDB", "OutpostCore"]),
        .testTarget(
            name: "PromQLTests",
            dependencies: ["PromQL", "PromQLConformance", "TSDB", "OutpostCore", "OutpostTestSupport"],
            exclude: ["conformance-floor.txt"]
        ),
        .testTarget(name: "OutpostCoreTests", dependencies: ["OutpostCore", "OutpostTestSupport"]),
        .testTarget(
            name: "RulesTests",
            dependencies: ["Rules", "PromQL", "TSDB", "OutpostCore", "OutpostMetrics", "OutpostTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "TemplatingTests", dependencies: ["Templating", "OutpostCore"]),
        .testTarget(name: "OutpostMetricsTests", dependencies: ["OutpostMetrics", "OutpostCore", "OutpostTestSupport"]),
        .testTarget(name: "StatsDTests", dependencies: ["StatsD", "OutpostMetrics", "OutpostCore", "OutpostTestSupport"]),
        .testTarget(
            name: "ProbingTests",
            dependencies: [
                "Probing", "OutpostMetrics", "OutpostCore", "OutpostTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AlertingTests",
            dependencies: [
                "Alerting", "OutpostCore", "OutpostMetrics", "COpenSSL", "OutpostTestSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ShippedAssetsTests",
            dependencies: ["OutpostTestSupport", "PromQL", "OutpostCore", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["OutpostTestSupport"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "OutpostMetrics", "OutpostCore", "OutpostTestSupport", "PromQL", "TSDB", "Alerting", "Rules",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
