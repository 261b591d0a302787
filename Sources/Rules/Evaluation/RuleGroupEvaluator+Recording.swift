import OutpostCore
import PromQL
import TSDB

extension RuleGroupEvaluator {
    /// A recording rule: the result renamed to the record name with the rule labels on top,
    /// written at the query time.
    func evaluateRecording(_ rule: RuleDefinition, output: ScrapeAppender, at t: Int64) -> (samples: Int, rejected: Int, error: String?) {
        let queryTime = t - group.queryOffset
        let vector: [VectorSample]
        do { vector = try query(rule, at: queryTime) } catch { return (0, 0, "\(error)") }
        var samples: [(labels: Labels, value: Double)] = []
        samples.reserveCapacity(vector.count)
        var seen: Set<Labels> = []
        for sample in vector {
            var labels = sample.labels
            labels[Labels.metricName] = rule.name
            labels = labels.merging(rule.labels)
            guard seen.insert(labels).inserted else {
                return (0, 0, "vector contains metrics with the same labelset after applying rule labels")
            }
            samples.append((labels, sample.value))
        }
        if group.limit > 0 && samples.count > group.limit {
            return (0, 0, "exceeded limit of \(group.limit) with \(samples.count) series")
        }
        let rejected = output.append(samples, at: queryTime)
        return (samples.count - rejected, rejected, nil)
    }
}
