import OutpostCore

/// A group of rules evaluated in order at one timestamp every `interval`.
public struct RuleGroup: Sendable {
    /// The rule file the group came from.
    public var file: String
    public var name: String
    /// Milliseconds between evaluations (the file's `interval`, else the global default).
    public var interval: Int64
    /// How far behind the evaluation time queries run, in milliseconds.
    public var queryOffset: Int64
    /// Most series a recording rule or alerts an alerting rule may produce; 0 = no limit.
    public var limit: Int
    /// The group's `labels`, already merged into each rule's labels.
    public var labels: Labels
    public var rules: [RuleDefinition]

    public init(
        file: String, name: String, interval: Int64, queryOffset: Int64 = 0, limit: Int = 0,
        labels: Labels = Labels(), rules: [RuleDefinition]
    ) {
        self.file = file
        self.name = name
        self.interval = interval
        self.queryOffset = queryOffset
        self.limit = limit
        self.labels = labels
        self.rules = rules
    }

    /// Identifies a group across reloads, as Prometheus's group key: file and name.
    public var key: String { file + ";" + name }
}
