import Testing
import Templating

/// The rule manager's expansion: predeclared variables, error text, syntax checks.
@Suite struct PrometheusTemplateExpanderTests {
    func expand(_ text: String, labels: [String: String] = ["instance": "host:9090", "job": "node"], value: Double = 0.5,
                querier: (any TemplateQuerier)? = nil) -> String {
        PrometheusTemplateExpander(
            name: "__alert_X", text: text, labels: labels, value: value, externalLabels: ["cluster": "eu1"],
            externalURL: "http://prom.example:9090", timestamp: 1_435_065_584_128, querier: querier
        ).expand()
    }

    /// Length of the declarations Prometheus prepends; error columns on line 1 include it.
    let prefix = PrometheusTemplateExpander.definitions.utf8.count

    @Test func predeclaredVariables() {
        #expect(expand("{{ $labels.instance }} is down ({{ $value | humanize }})") == "host:9090 is down (500m)")
        #expect(expand("{{ .Labels.job }} {{ $externalLabels.cluster }} {{ $externalURL }}") == "node eu1 http://prom.example:9090")
        #expect(expand("[{{ $labels.nope }}]") == "[]")
        #expect(expand("{{ $value }}", value: 1_234_567) == "1.234567e+06")
        #expect(expand("{{ printf \"%.2f\" $value }}", value: 2.0 / 3) == "0.67")
        #expect(expand("no actions") == "no actions")
        #expect(expand("{{ if gt $value 0.4 }}high{{ else }}low{{ end }}") == "high")
    }

    @Test func errorsBecomeText() {
        #expect(prefix == 112)
        #expect(expand("{{ humanize \"x\" }}")
            == "<error expanding template: error executing template __alert_X: template: __alert_X:1:\(prefix + 3): executing \"__alert_X\" at <humanize \"x\">: error calling humanize: strconv.ParseFloat: parsing \"x\": invalid syntax>")
        #expect(expand("{{ if }}")
            == "<error expanding template: error parsing template __alert_X: template: __alert_X:1: missing value for if>")
        #expect(expand("{{ query \"up\" }}", querier: FixedQuerier(failure: "bad query"))
            == "<error expanding template: error executing template __alert_X: template: __alert_X:1:\(prefix + 3): executing \"__alert_X\" at <query \"up\">: error calling query: bad query>")
    }

    @Test func syntaxCheck() {
        #expect(PrometheusTemplateExpander.syntaxError(name: "__alert_X", text: "{{ $labels.instance }}") == nil)
        #expect(PrometheusTemplateExpander.syntaxError(name: "__alert_X", text: "a\n{{ nope }}")
            == "template: __alert_X:2: function \"nope\" not defined")
        #expect(PrometheusTemplateExpander.syntaxError(name: "__alert_X", text: "{{ range }}") != nil)
    }

    @Test func queryThroughTheExpander() {
        let querier = FixedQuerier([TemplateSample(labels: ["instance": "a"], value: 0.25)])
        #expect(expand("{{ with query \"up\" }}{{ . | first | value | humanizePercentage }}{{ end }}", querier: querier) == "25%")
    }

    @Test func parsedOnceExpandedPerAlert() {
        let template = PrometheusRuleTemplate(name: "__alert_Down", text: "{{ $labels.instance }}={{ $value }}")
        #expect(template.syntaxError == nil)
        let first = template.expand(labels: ["instance": "a"], value: 1, externalLabels: [:], externalURL: "", timestamp: 0, querier: nil)
        let second = template.expand(labels: ["instance": "b"], value: 2.5, externalLabels: [:], externalURL: "", timestamp: 0, querier: nil)
        #expect(first == "a=1")
        #expect(second == "b=2.5")
        let broken = PrometheusRuleTemplate(name: "__alert_Down", text: "{{ end }}")
        #expect(broken.syntaxError == "template: __alert_Down:1: unexpected {{end}}")
        #expect(broken.expand(labels: [:], value: 0, externalLabels: [:], externalURL: "", timestamp: 0, querier: nil)
            == "<error expanding template: error parsing template __alert_Down: template: __alert_Down:1: unexpected {{end}}>")
    }
}
