import OutpostCore
import Templating

/// Where alert label and annotation templates are checked and expanded, with Prometheus's
/// template data (`$labels`, `$value`, `$externalLabels`, `$externalURL`) and name (`__alert_<name>`).
enum RuleTemplate {
    static func syntaxError(ruleName: String, text: String) -> String? {
        PrometheusTemplateExpander.syntaxError(name: "__alert_" + ruleName, text: text)
    }

    static func expand(_ text: String, context: Context) -> String {
        // Most label values and many annotations are plain text; skip building the template data.
        guard text.contains("{{") else { return text }
        return PrometheusTemplateExpander(
            name: "__alert_" + context.ruleName, text: text, labels: context.labels.dictionary, value: context.value,
            externalLabels: context.externalLabels.dictionary, externalURL: context.externalURL, timestamp: context.timestamp,
            querier: Querier(queryAt: context.queryAt)
        ).expand()
    }

    /// What a template sees: `$labels`, `$value`, `$externalLabels`, `$externalURL`, and queries at `timestamp`.
    struct Context {
        var ruleName: String
        var labels: Labels
        var value: Double
        var externalLabels: Labels
        var externalURL: String
        var timestamp: Int64
        var queryAt: @Sendable (String) throws -> [(labels: Labels, value: Double)]
    }

    /// The `query` template function over the rule's engine.
    private struct Querier: TemplateQuerier {
        let queryAt: @Sendable (String) throws -> [(labels: Labels, value: Double)]

        func query(_ expr: String) throws -> [TemplateSample] {
            try queryAt(expr).map { TemplateSample(labels: $0.labels.dictionary, value: $0.value) }
        }
    }
}
