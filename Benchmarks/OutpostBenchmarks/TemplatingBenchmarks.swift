import Templating

/// Rule template expansion as the rule engine does it for every alert on every evaluation:
/// parse (with Prometheus's prepended declarations) and execute.
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
        BenchmarkCase(name: "templating.execute_parsed_annotation", operationsPerRun: expansions, operationName: "execution") {
            let template = try! Template(
                name: "__alert_InstanceDown",
                text: PrometheusTemplateExpander.definitions + "{{ $labels.instance }} is down ({{ $value | humanize }})")
            let expander = PrometheusTemplateExpander(
                name: "__alert_InstanceDown", text: "", labels: ["instance": "node-1.example.com:9100", "job": "node"],
                value: 0.5, externalLabels: [:], externalURL: "", timestamp: 0, querier: nil)
            let data = expander.data
            return {
                for _ in 0..<expansions where (try? template.execute(data: data))?.isEmpty ?? true { fatalError("empty expansion") }
            }
        },
    ] }
}
