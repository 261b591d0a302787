// Outpost's benchmarks. Build and run in release mode:
//   swift run -c release outpost-bench [name-filter]
// Each case reports medians over repeated runs: wall and CPU time, bytes and allocations.

let allCases: [BenchmarkCase] = ExpositionBenchmarks.cases + StatsDBenchmarks.cases + PromQLBenchmarks.cases
    + ProbingBenchmarks.cases + TCPTLSBenchmarks.cases + AlertingBenchmarks.cases + TemplatingBenchmarks.cases + RulesBenchmarks.cases
    + TSDBBenchmarks.cases

let filter = CommandLine.arguments.dropFirst().first
for benchmark in allCases where filter.map({ benchmark.name.contains($0) }) ?? true {
    print(Harness.report(Harness.run(benchmark)))
}
