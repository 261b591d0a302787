import OutpostCore
import PromQL
import Rules
import TSDB

/// A head, an engine over it, and groups parsed from YAML, for evaluator tests.
struct RuleFixture {
    let head = Head()
    var engine: Engine { Engine(queryable: head) }

    func groups(_ yaml: String) throws -> [RuleGroup] {
        try RuleFileLoader.parse(yaml: yaml, file: "test.yml").get()
    }

    func evaluator(_ yaml: String, externalURL: String = "http://outpost:9090") throws -> RuleGroupEvaluator {
        RuleGroupEvaluator(group: try groups(yaml)[0], engine: engine, head: head, externalURL: externalURL)
    }

    /// Appends `values` one minute apart from t = 0.
    func series(_ labels: Labels, _ values: [Double], step: Int64 = 60_000) throws {
        for (index, value) in values.enumerated() { try head.append(labels, Int64(index) * step, value) }
    }

    /// The stored samples (stale markers included) of the one series matching `name` and `labels`.
    func samples(_ labels: Labels) throws -> [(t: Int64, v: Double)] {
        let matchers = try labels.map { try LabelMatcher(.equal, $0.name, $0.value) }
        let found: [StoredSeries] = head.select(matchers, mint: .min, maxt: .max)
        guard let series = found.first(where: { $0.labels == labels }) else { return [] }
        return Array(zip(series.timestamps, series.values)).map { ($0.0, $0.1) }
    }

    /// An instant query's vector as (labels, value), sorted by labels.
    func query(_ text: String, at t: Int64) throws -> [(labels: Labels, value: Double)] {
        guard case .vector(let samples) = try engine.instantQuery(text, at: t).value else { return [] }
        return samples.map { ($0.labels, $0.value) }.sorted { $0.labels < $1.labels }
    }
}
