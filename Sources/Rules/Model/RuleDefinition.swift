import OutpostCore
import PromQL

/// Whether a rule records a series or raises alerts.
public enum RuleKind: String, Sendable, Codable {
    case recording
    case alerting
}

/// Where something sits in a rule file, 1-based.
public struct SourcePosition: Sendable, Hashable, Codable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// One validated rule of a group: `record` or `alert`, its parsed expression and settings.
public struct RuleDefinition: Sendable {
    public var kind: RuleKind
    /// The `record` metric name or the `alert` name.
    public var name: String
    /// The expression as written in the file.
    public var query: String
    public var expr: Expr
    /// `for`, in milliseconds (alerting rules only).
    public var holdDuration: Int64
    /// `keep_firing_for`, in milliseconds (alerting rules only).
    public var keepFiringFor: Int64
    /// The rule's labels, group labels merged under them (the rule wins). Alerting rule label
    /// values are templates.
    public var labels: Labels
    /// Annotation templates (alerting rules only), by name.
    public var annotations: [String: String]
    public var position: SourcePosition

    public init(
        kind: RuleKind, name: String, query: String, expr: Expr, holdDuration: Int64 = 0, keepFiringFor: Int64 = 0,
        labels: Labels = Labels(), annotations: [String: String] = [:], position: SourcePosition = SourcePosition(line: 1, column: 1)
    ) {
        self.kind = kind
        self.name = name
        self.query = query
        self.expr = expr
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.position = position
    }

    /// Identifies a rule across reloads and restarts, as Prometheus matches rules when it copies
    /// state: the name and the labels.
    public var key: String { name + labels.description }
}
