import OutpostCore

/// A group as `/api/v1/rules` shows it.
public struct RuleGroupStatus: Sendable {
    public var name: String
    public var file: String
    /// Milliseconds between evaluations.
    public var interval: Int64
    public var queryOffset: Int64
    public var limit: Int
    public var rules: [RuleStatus]
    /// Timestamp (ms) of the last evaluation, nil before the first.
    public var lastEvaluation: Int64?
    public var evaluationTime: Duration
}

/// A rule as `/api/v1/rules` shows it; the alert fields are empty for recording rules.
public struct RuleStatus: Sendable {
    public var kind: RuleKind
    public var name: String
    public var query: String
    /// `for`, in milliseconds.
    public var holdDuration: Int64
    /// `keep_firing_for`, in milliseconds.
    public var keepFiringFor: Int64
    public var labels: Labels
    public var annotations: [String: String]
    public var health: RuleHealth
    public var lastError: String?
    public var lastEvaluation: Int64?
    public var evaluationTime: Duration
    /// The highest state of the rule's alerts (`inactive` when none); alerting rules only.
    public var state: AlertState?
    /// Pending and firing alerts, sorted by labels.
    public var alerts: [RuleAlert]
}

extension RuleGroupEvaluator {
    /// The group and each rule's state after the last evaluation; never waits for one in progress.
    public var status: RuleGroupStatus {
        let state = published.withLock { $0 }
        var rules: [RuleStatus] = []
        for (index, rule) in group.rules.enumerated() {
            let runtime = state.rules[index]
            let isAlerting = rule.kind == .alerting
            rules.append(RuleStatus(
                kind: rule.kind, name: rule.name, query: rule.query, holdDuration: rule.holdDuration,
                keepFiringFor: rule.keepFiringFor, labels: rule.labels, annotations: rule.annotations,
                health: runtime.health, lastError: runtime.lastError, lastEvaluation: runtime.lastEvaluation,
                evaluationTime: runtime.evaluationTime, state: isAlerting ? runtime.tracker.state : nil,
                alerts: runtime.tracker.alerts.values.filter { $0.state != .inactive }.sorted { $0.labels < $1.labels }
            ))
        }
        return RuleGroupStatus(
            name: group.name, file: group.file, interval: group.interval, queryOffset: group.queryOffset, limit: group.limit,
            rules: rules, lastEvaluation: state.lastEvaluation, evaluationTime: state.evaluationTime
        )
    }
}
