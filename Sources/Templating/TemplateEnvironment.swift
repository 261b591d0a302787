/// What functions may need besides their arguments: the query engine, the evaluation time and
/// the external URL. Prometheus binds these per rule evaluation.
public struct TemplateEnvironment: Sendable {
    public var querier: (any TemplateQuerier)?
    /// Evaluation time in milliseconds since the epoch (`now`, and the time queries run at).
    public var timestampMilliseconds: Int64
    public var externalURL: String
    /// Methods the embedding program gives to lists and maps, which Go types can have but
    /// `TemplateValue` lists and maps cannot (Alertmanager's `.Alerts.Firing`, `.Labels.SortedPairs`).
    public var valueMethods: (@Sendable (_ name: String, _ receiver: TemplateValue) -> TemplateFunction?)?

    public init(querier: (any TemplateQuerier)? = nil, timestampMilliseconds: Int64 = 0, externalURL: String = "",
                valueMethods: (@Sendable (_ name: String, _ receiver: TemplateValue) -> TemplateFunction?)? = nil) {
        self.querier = querier
        self.timestampMilliseconds = timestampMilliseconds
        self.externalURL = externalURL
        self.valueMethods = valueMethods
    }
}

/// Runs PromQL for the `query` template function; the caller binds the evaluation time.
public protocol TemplateQuerier: Sendable {
    func query(_ expr: String) throws -> [TemplateSample]
}

/// One element of an instant vector as templates see it: `.Labels` and `.Value`.
public struct TemplateSample: Sendable {
    public var labels: [String: String]
    public var value: Double

    public init(labels: [String: String], value: Double) {
        self.labels = labels
        self.value = value
    }

    /// Prometheus's `*template.sample`.
    static let typeName = "*template.sample"

    var templateValue: TemplateValue {
        .record(TemplateRecord(typeName: Self.typeName, fields: [("Labels", .stringMap(labels)), ("Value", .number(value))]))
    }
}
