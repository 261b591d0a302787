/// Expands an alerting or recording rule's label/annotation template the way the Prometheus
/// rule manager does: `$labels`, `$externalLabels`, `$externalURL` and `$value` are defined by
/// prepending their declarations to the text (so error columns on line 1 include them), and any
/// error becomes the text `<error expanding template: ...>`.
public struct PrometheusTemplateExpander: Sendable {
    /// What Prometheus prepends to every rule template.
    public static let definitions =
        "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"

    public var name: String
    public var text: String
    public var labels: [String: String]
    public var value: Double
    public var externalLabels: [String: String]
    public var externalURL: String
    public var timestamp: Int64
    public var querier: (any TemplateQuerier)?

    /// `name` is the template name errors mention; Prometheus uses `__alert_` + the alert name.
    /// `timestamp` is the evaluation time in milliseconds.
    public init(
        name: String, text: String, labels: [String: String], value: Double, externalLabels: [String: String],
        externalURL: String, timestamp: Int64, querier: (any TemplateQuerier)?
    ) {
        self.name = name
        self.text = text
        self.labels = labels
        self.value = value
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.timestamp = timestamp
        self.querier = querier
    }

    /// The data Prometheus passes as `.`.
    public var data: TemplateValue {
        PrometheusRuleTemplate.data(labels: labels, value: value, externalLabels: externalLabels, externalURL: externalURL)
    }

    /// The expansion, or the error as `<error expanding template: ...>`.
    public func expand() -> String {
        switch result() {
        case .success(let text): text
        case .failure(let error): "<error expanding template: \(error.message)>"
        }
    }

    /// The expansion, or the error worded as Prometheus's Expander reports it.
    public func result() -> Result<String, TemplateError> {
        PrometheusRuleTemplate(name: name, text: text).result(
            labels: labels, value: value, externalLabels: externalLabels, externalURL: externalURL, timestamp: timestamp,
            querier: querier)
    }

    /// For `check rules`: the parse error of a rule template, or nil when it parses.
    public static func syntaxError(name: String, text: String) -> String? {
        PrometheusRuleTemplate(name: name, text: text).syntaxError
    }
}
