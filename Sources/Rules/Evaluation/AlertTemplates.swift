import OutpostCore
import Templating

/// The label and annotation templates of one alerting rule, parsed once and expanded per alert
/// with Prometheus's data (`$labels`, `$value`, `$externalLabels`, `$externalURL`) and name
/// (`__alert_<name>`).
struct AlertTemplates: Sendable {
    let labels: [(name: String, template: PrometheusRuleTemplate)]
    let annotations: [(name: String, template: PrometheusRuleTemplate)]
    /// Whether any template has actions; plain text needs no template data.
    let hasActions: Bool

    init(rule: RuleDefinition) {
        let name = AlertTemplates.templateName(rule.name)
        labels = rule.labels.map { ($0.name, PrometheusRuleTemplate(name: name, text: $0.value)) }
        annotations = rule.annotations.sorted { $0.key < $1.key }.map { ($0.key, PrometheusRuleTemplate(name: name, text: $0.value)) }
        hasActions = (rule.labels.map(\.value) + rule.annotations.values).contains { $0.contains("{{") }
    }

    static func templateName(_ ruleName: String) -> String { "__alert_" + ruleName }

    /// For rule-file validation: the template's parse error, or nil.
    static func syntaxError(ruleName: String, text: String) -> String? {
        PrometheusRuleTemplate(name: templateName(ruleName), text: text).syntaxError
    }

    /// What the templates of one alert see.
    struct Data {
        var labels: Labels
        var value: Double
        var externalLabels: [String: String]
        var externalURL: String
        /// Evaluation time in ms, for time functions and `query`.
        var timestamp: Int64
        var querier: any TemplateQuerier
    }

    /// The alert's labels (sample labels without `__name__`, then the expanded rule labels; an
    /// empty expansion removes the label) and its expanded annotations.
    func expand(_ data: Data) -> (labels: Labels, annotations: Labels) {
        var labels = data.labels.removing([Labels.metricName])
        var annotations = Labels()
        let dictionary = hasActions ? data.labels.dictionary : [:]
        func expand(_ template: PrometheusRuleTemplate) -> String {
            template.expand(labels: dictionary, value: data.value, externalLabels: data.externalLabels, externalURL: data.externalURL,
                            timestamp: data.timestamp, querier: data.querier)
        }
        for (name, template) in self.labels { labels[name] = expand(template) }
        for (name, template) in self.annotations { annotations[name] = expand(template) }
        return (labels, annotations)
    }
}

/// The `query` template function: instant queries at the rule's query time.
struct EngineTemplateQuerier: TemplateQuerier {
    let queryAt: @Sendable (String) throws -> [(labels: Labels, value: Double)]

    func query(_ expr: String) throws -> [TemplateSample] {
        try queryAt(expr).map { TemplateSample(labels: $0.labels.dictionary, value: $0.value) }
    }
}
