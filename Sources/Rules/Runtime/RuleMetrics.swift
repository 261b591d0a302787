import OutpostCore
import OutpostMetrics

/// `outpost_rule_*`, named and labelled like Prometheus's `prometheus_rule_*` (`rule_group` is
/// `file;name`), so dashboards and alerts written for one work for the other with a prefix swap.
struct RuleMetrics: Sendable {
    let lastDuration: MetricFamily<Gauge>
    let interval: MetricFamily<Gauge>
    let iterations: MetricFamily<Counter>
    let iterationsMissed: MetricFamily<Counter>
    let rules: MetricFamily<Gauge>
    let lastEvaluation: MetricFamily<Gauge>
    let lastSamples: MetricFamily<Gauge>
    let evaluations: MetricFamily<Counter>
    let failures: MetricFamily<Counter>
    let evaluationDuration: MetricFamily<Summary>
    let alertsSent: Counter
    let stateSaveFailures: Counter

    init(registry: MetricsRegistry) throws(MetricsRegistryError) {
        lastDuration = try registry.gauge("outpost_rule_group_last_duration_seconds", help: "The duration of the last rule group evaluation.")
        interval = try registry.gauge("outpost_rule_group_interval_seconds", help: "The interval of a rule group.")
        iterations = try registry.counter("outpost_rule_group_iterations_total", help: "The number of scheduled iterations of a rule group, run or missed.")
        iterationsMissed = try registry.counter("outpost_rule_group_iterations_missed_total",
                                                help: "The number of rule group evaluations missed because an earlier one ran too long.")
        rules = try registry.gauge("outpost_rule_group_rules", help: "The number of rules in a rule group.")
        lastEvaluation = try registry.gauge("outpost_rule_group_last_evaluation_timestamp_seconds",
                                            help: "The timestamp of the last rule group evaluation in seconds.")
        lastSamples = try registry.gauge("outpost_rule_group_last_evaluation_samples",
                                         help: "The number of samples returned during the last rule group evaluation.")
        evaluations = try registry.counter("outpost_rule_evaluations_total", help: "The number of rule evaluations, by group and rule.")
        failures = try registry.counter("outpost_rule_evaluation_failures_total", help: "The number of rule evaluations that failed, by group and rule.")
        evaluationDuration = try registry.summary("outpost_rule_evaluation_duration_seconds", help: "The duration of rule evaluations.",
                                                  objectives: [(0.5, 0.05), (0.9, 0.01), (0.99, 0.001)])
        alertsSent = try registry.counter("outpost_rule_alerts_sent_total", help: "Alerts the rule engine handed to alert routing.").labels(Labels())
        stateSaveFailures = try registry.counter("outpost_rule_state_save_failures_total",
                                                 help: "Times the alert state of a rule group could not be saved to SQLite.").labels(Labels())
    }

    /// Creates a group's series at load, as Prometheus does, so they read 0 before the first evaluation.
    func register(_ group: RuleGroup) {
        let labels = Labels(["rule_group": group.key])
        interval.labels(labels).set(Double(group.interval) / 1000)
        rules.labels(labels).set(Double(group.rules.count))
        _ = iterations.labels(labels)
        _ = iterationsMissed.labels(labels)
        _ = lastDuration.labels(labels)
        _ = lastEvaluation.labels(labels)
        _ = lastSamples.labels(labels)
        for rule in group.rules {
            let ruleLabels = labels.merging(["rule": rule.name])
            _ = evaluations.labels(ruleLabels)
            _ = failures.labels(ruleLabels)
        }
    }

    /// Drops the series of a group no longer loaded.
    func unregister(groupKey: String) {
        for family in [lastDuration, interval, rules, lastEvaluation, lastSamples] {
            family.removeAll { $0["rule_group"] == groupKey }
        }
        for family in [iterations, iterationsMissed, evaluations, failures] {
            family.removeAll { $0["rule_group"] == groupKey }
        }
    }

    func record(_ evaluation: GroupEvaluation, group: RuleGroup) {
        let labels = Labels(["rule_group": group.key])
        lastDuration.labels(labels).set(evaluation.duration.seconds)
        lastEvaluation.labels(labels).set(Double(evaluation.at) / 1000)
        lastSamples.labels(labels).set(Double(evaluation.rules.reduce(0) { $0 + $1.samples }))
        iterations.labels(labels).increment()
        for rule in evaluation.rules {
            let ruleLabels = labels.merging(["rule": rule.name])
            evaluations.labels(ruleLabels).increment()
            if rule.health == .err { failures.labels(ruleLabels).increment() }
            evaluationDuration.labels(Labels()).observe(rule.duration.seconds)
        }
    }

    func recordMissed(_ count: Int64, group: RuleGroup) {
        let labels = Labels(["rule_group": group.key])
        iterationsMissed.labels(labels).increment(by: Double(count))
        iterations.labels(labels).increment(by: Double(count))
    }
}
