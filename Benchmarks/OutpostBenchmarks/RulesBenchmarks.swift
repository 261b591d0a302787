import Foundation
import OutpostCore
import PromQL
import Rules
import TSDB

/// The rule engine: one evaluation cycle of many alerting rules over a realistic head.
enum RulesBenchmarks {
    static let jobs = 100
    static let instancesPerJob = 100
    static let ruleCount = 1_000

    static var cases: [BenchmarkCase] { [
        BenchmarkCase(name: "rules.eval_cycle.1k_alerting_rules_10k_series", operationsPerRun: 1, operationName: "cycle") {
            let head = makeHead()
            let evaluator = RuleGroupEvaluator(group: makeGroup(), engine: Engine(queryable: head), head: head)
            // Samples sit at t = 0; cycles 100 ms apart stay inside the 5m lookback for 3,000 runs.
            var t: Int64 = 0
            return {
                t += 100
                let result = evaluator.evaluate(at: t)
                precondition(result.failures.isEmpty, "\(result.failures.first?.lastError ?? "")")
            }
        },
        // The same 1,000 queries straight through the engine: what the rule machinery adds is the difference.
        BenchmarkCase(name: "rules.eval_cycle_queries_only.1k_queries_10k_series", operationsPerRun: 1, operationName: "cycle") {
            let head = makeHead()
            let engine = Engine(queryable: head)
            let exprs = makeGroup().rules.map(\.expr)
            var t: Int64 = 0
            return {
                t += 100
                for expr in exprs { precondition((try? engine.instantQuery(expr, at: t)) != nil) }
            }
        },
    ] }

    /// `up_like_metric{job, instance, shard}`: 100 jobs × 100 instances, every 20th instance down.
    static func makeHead() -> Head {
        let head = Head()
        var batch: [(labels: Labels, t: Int64, v: Double)] = []
        for job in 0..<jobs {
            for instance in 0..<instancesPerJob {
                let labels: Labels = [
                    "__name__": "up_like_metric", "job": "job\(job)", "instance": "host\(instance):9100", "shard": "\(instance % 10)",
                ]
                batch.append((labels, 0, instance % 20 == 0 ? 0 : 1))
            }
        }
        head.append(batch: batch)
        return head
    }

    /// Half the rules watch a whole job (100 series), half one shard of a job (10 series); each
    /// alert expands a templated summary.
    static func makeGroup() -> RuleGroup {
        var rules: [RuleDefinition] = []
        for index in 0..<ruleCount {
            let job = "job\(index % jobs)"
            let query = index % 2 == 0
                ? "up_like_metric{job=\"\(job)\"} < 1"
                : "up_like_metric{job=\"\(job)\", shard=\"\((index / jobs) % 10)\"} < 1"
            guard let expr = try? Parser.parse(query) else { preconditionFailure("bad benchmark query \(query)") }
            rules.append(RuleDefinition(
                kind: .alerting, name: "TargetDown\(index)", query: query, expr: expr, holdDuration: 60_000,
                labels: ["severity": "page"], annotations: ["summary": "{{ $labels.instance }} of {{ $labels.job }} is down"]
            ))
        }
        return RuleGroup(file: "bench.yml", name: "bench", interval: 60_000, rules: rules)
    }
}
