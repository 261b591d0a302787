import OutpostCore
import PromQL
import TSDB

extension RuleGroupEvaluator {
    static let alertNameLabel = "alertname"
    static let alertStateLabel = "alertstate"
    static let alertsMetric = "ALERTS"
    static let alertsForStateMetric = "ALERTS_FOR_STATE"

    /// An alerting rule: each result sample is an alert (labels and annotations templated),
    /// run through the state machine; `ALERTS` and `ALERTS_FOR_STATE` are written for the
    /// pending and firing ones.
    func evaluateAlerting(
        _ rule: RuleDefinition, templates: AlertTemplates, output: ScrapeAppender, at t: Int64, tracker: inout AlertTracker
    ) -> (samples: Int, rejected: Int, error: String?) {
        let queryTime = t - group.queryOffset
        let vector: [VectorSample]
        do { vector = try query(rule, at: queryTime) } catch { return (0, 0, "\(error)") }
        var results: [AlertTracker.Result] = []
        results.reserveCapacity(vector.count)
        var seen: Set<Labels> = []
        let engine = self.engine
        let querier = EngineTemplateQuerier { text in try RuleGroupEvaluator.templateQuery(text, engine: engine, at: queryTime) }
        for sample in vector {
            var (labels, annotations) = templates.expand(AlertTemplates.Data(
                labels: sample.labels, value: sample.value, externalLabels: externalLabels, externalURL: externalURL,
                timestamp: t, querier: querier
            ))
            labels[RuleGroupEvaluator.alertNameLabel] = rule.name
            guard seen.insert(labels).inserted else {
                return (0, 0, "vector contains metrics with the same labelset after applying alert labels")
            }
            results.append(AlertTracker.Result(labels: labels, annotations: annotations, value: sample.value))
        }
        let active = tracker.apply(results, at: t)
        if group.limit > 0 && active.count > group.limit {
            tracker.reset()
            return (0, 0, "exceeded limit of \(group.limit) with \(active.count) alerts")
        }
        var samples: [(labels: Labels, value: Double)] = []
        samples.reserveCapacity(active.count * 2)
        for alert in active {
            var alertsLabels = alert.labels
            alertsLabels[Labels.metricName] = RuleGroupEvaluator.alertsMetric
            alertsLabels[RuleGroupEvaluator.alertStateLabel] = alert.state.rawValue
            samples.append((alertsLabels, 1))
            var forStateLabels = alert.labels
            forStateLabels[Labels.metricName] = RuleGroupEvaluator.alertsForStateMetric
            samples.append((forStateLabels, Double(alert.activeAt.floorDivided(by: 1000))))
        }
        let rejected = output.append(samples, at: queryTime)
        return (samples.count - rejected, rejected, nil)
    }

    /// The `query` template function: an instant query at the rule's query time.
    static func templateQuery(_ text: String, engine: Engine, at t: Int64) throws -> [(labels: Labels, value: Double)] {
        let result: QueryResult
        do { result = try engine.instantQuery(text, at: t) } catch { throw RuleError(description: error.description) }
        switch result.value {
        case .vector(let samples): return samples.map { ($0.labels, $0.value) }
        case .scalar(_, let value): return [(Labels(), value)]
        case .string, .matrix: throw RuleError(description: "query result is not a vector or scalar")
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity, as Go's `time.Unix()` seconds.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
