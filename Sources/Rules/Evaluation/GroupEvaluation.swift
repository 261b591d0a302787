/// How a rule is doing: `unknown` before its first evaluation, then `ok` or `err` after each.
public enum RuleHealth: String, Sendable, Codable {
    case unknown
    case ok
    case err
}

/// What one evaluation of a group did, for logs and the runtime's own metrics.
public struct GroupEvaluation: Sendable {
    /// The evaluation timestamp (ms); queries ran at `at - queryOffset`.
    public var at: Int64
    public var duration: Duration
    public var rules: [RuleEvaluation]

    /// Rules that failed in this evaluation.
    public var failures: [RuleEvaluation] { rules.filter { $0.health == .err } }
}

/// What one rule produced in one group evaluation.
public struct RuleEvaluation: Sendable {
    public var name: String
    public var kind: RuleKind
    public var health: RuleHealth
    public var lastError: String?
    /// Samples written to the head: recording results, or `ALERTS` and `ALERTS_FOR_STATE` series.
    public var samples: Int
    /// Samples the head refused (out of order or duplicate timestamp).
    public var rejected: Int
    public var duration: Duration
}
