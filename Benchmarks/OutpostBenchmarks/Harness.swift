import Foundation
import MallocCounter

/// One benchmark: `prepare` builds its state once and returns the operation to time.
/// A run performs `operationsPerRun` operations; figures are reported per operation.
struct BenchmarkCase {
    var name: String
    var operationsPerRun: Int
    var operationName: String
    var prepare: () -> () -> Void
}

/// Medians over repeated runs: wall time, CPU time and allocations, each per operation.
struct BenchmarkResult {
    var name: String
    var runs: Int
    var operationsPerRun: Int
    var operationName: String
    var wallPerRun: Double
    var cpuPerRun: Double
    var bytesPerOperation: Double
    var allocationsPerOperation: Double
}

enum Harness {
    static func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func wallSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Runs `benchmark` at least `minimumRuns` times and for at least `minimumSeconds`.
    static func run(_ benchmark: BenchmarkCase, minimumRuns: Int = 5, minimumSeconds: Double = 2) -> BenchmarkResult {
        let operation = benchmark.prepare()
        operation()  // warm-up
        var walls: [Double] = []
        var cpus: [Double] = []
        var bytes: [Double] = []
        var allocations: [Double] = []
        let started = wallSeconds()
        while walls.count < minimumRuns || wallSeconds() - started < minimumSeconds {
            let bytesBefore = outpost_malloc_bytes()
            let countBefore = outpost_malloc_count()
            let cpuBefore = cpuSeconds()
            let wallBefore = wallSeconds()
            operation()
            walls.append(wallSeconds() - wallBefore)
            cpus.append(cpuSeconds() - cpuBefore)
            bytes.append(Double(outpost_malloc_bytes() - bytesBefore))
            allocations.append(Double(outpost_malloc_count() - countBefore))
            if walls.count >= 1000 { break }
        }
        let operations = Double(benchmark.operationsPerRun)
        return BenchmarkResult(
            name: benchmark.name, runs: walls.count, operationsPerRun: benchmark.operationsPerRun,
            operationName: benchmark.operationName,
            wallPerRun: median(walls), cpuPerRun: median(cpus),
            bytesPerOperation: median(bytes) / operations, allocationsPerOperation: median(allocations) / operations)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func report(_ result: BenchmarkResult) -> String {
        let perOperation = result.cpuPerRun / Double(result.operationsPerRun)
        return String(
            format: "%@: %d runs; median per run %.2f ms wall, %.2f ms CPU; per %@ %@ CPU, %.1f bytes and %.2f allocations",
            result.name, result.runs, result.wallPerRun * 1000, result.cpuPerRun * 1000, result.operationName,
            formatSeconds(perOperation), result.bytesPerOperation, result.allocationsPerOperation)
    }

    static func formatSeconds(_ seconds: Double) -> String {
        if seconds >= 1e-3 { return String(format: "%.2f ms", seconds * 1e3) }
        if seconds >= 1e-6 { return String(format: "%.2f µs", seconds * 1e6) }
        return String(format: "%.0f ns", seconds * 1e9)
    }
}
