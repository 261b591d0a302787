// Outpost's benchmarks. Build and run in release mode:
//   swift run -c release outpost-bench [name-filter]
// Each case reports medians over repeated runs: wall and CPU time, bytes and allocations.
//   outpost-bench --write-promql-openmetrics FILE
// writes the PromQL cases' samples as OpenMetrics, for Prometheus to load side by side.

import Foundation

let allCases: [BenchmarkCase] = ExpositionBenchmarks.cases + StatsDBenchmarks.cases + PromQLBenchmarks.cases
    + ProbingBenchmarks.cases + TCPTLSBenchmarks.cases + AlertingBenchmarks.cases + TemplatingBenchmarks.cases + RulesBenchmarks.cases
    + RegexBenchmarks.cases
    + TSDBBenchmarks.cases

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.count == 2, arguments[0] == "--write-promql-openmetrics" {
    try PromQLBenchmarks.writeOpenMetrics(to: arguments[1])
    exit(0)
}
let filter = arguments.first
for benchmark in allCases where filter.map({ benchmark.name.contains($0) }) ?? true {
    print(Harness.report(Harness.run(benchmark)))
}
