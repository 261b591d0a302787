import Templating

/// Rule template expansion for every alert on every evaluation: parsing each time (as
/// PrometheusTemplateExpander and Prometheus itself do) and with the template parsed once.
enum TemplatingBenchmarks {
    static let expansions = 10_000

    static var cases: [BenchmarkCase] { [
        BenchmarkCase(name: "templating.expand_annotation", operationsPerRun: expansions, operationName: "expansion") {
            let expander = PrometheusTemplateExpander(
                name: "__alert_InstanceDown", text: "{{ $labels.instance }} is down ({{ $value | humanize }})",
                labels: ["__name__": "up", "instance": "node-1.example.com:9100", "job": "node"], value: 0.5,
                externalLabels: ["cluster": "eu1"], externalURL: "http://prometheus.example:9090",
                timestamp: 1_700_000_000_000, querier: nil)
            return {
                for _ in 0..<expansions where expander.expand().isEmpty { fatalError("empty expansion") }
            }
        },
        BenchmarkCase(name: "templating.rule_template_expand", operationsPerRun: expansions, operationName: "expansion") {
            let template = PrometheusRuleTemplate(
                name: "__alert_InstanceDown", text: "{{ $labels.instance }} is down ({{ $value | humanize }})")
            let labels = ["__name__": "up", "instance": "node-1.example.com:9100", "job": "node"]
            return {
                for _ in 0..<expansions where template.expand(
                    labels: labels, value: 0.5, externalLabels: ["cluster": "eu1"], externalURL: "http://prometheus.example:9090",
                    timestamp: 1_700_000_000_000, querier: nil
                ).isEmpty { fatalError("empty expansion") }
            }
        },
    ] }
}
