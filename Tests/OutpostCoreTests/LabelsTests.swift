import OutpostCore
import Testing

@Suite struct LabelsTests {
    @Test func keepsLabelsSortedByNameWithUniqueNames() {
        var labels: Labels = ["zone": "b", "app": "web", "job": "api"]
        #expect(labels.map(\.name) == ["app", "job", "zone"])
        labels["job"] = "batch"
        labels["env"] = "prod"
        #expect(labels.map(\.name) == ["app", "env", "job", "zone"])
        #expect(labels["job"] == "batch")
    }

    @Test func emptyValueRemovesTheLabel() {
        var labels: Labels = ["a": "1", "b": "2"]
        labels["a"] = ""
        #expect(labels["a"] == nil)
        #expect(labels.count == 1)
        #expect(Labels(["x": "", "y": "1"]).count == 1)
    }

    @Test func equalityAndHashingIgnoreConstructionOrder() {
        let first = Labels([("b", "2"), ("a", "1")])
        let second = Labels([("a", "1"), ("b", "2")])
        #expect(first == second)
        #expect(Set([first, second]).count == 1)
    }

    @Test func mergingPrefersTheOtherSide() {
        let merged = Labels(["a": "1", "b": "2"]).merging(["b": "3", "c": "4"])
        #expect(merged == ["a": "1", "b": "3", "c": "4"])
    }

    @Test func describesLikePrometheusWithEscapes() {
        let labels: Labels = ["__name__": "up", "job": "a\"b\\c\nd"]
        #expect(labels.description == #"up{job="a\"b\\c\nd"}"#)
    }

    @Test func validatesMetricAndLabelNames() {
        #expect(MetricNames.isValidMetricName("http_requests_total"))
        #expect(MetricNames.isValidMetricName("job:rate5m"))
        #expect(!MetricNames.isValidMetricName("1abc"))
        #expect(!MetricNames.isValidMetricName(""))
        #expect(MetricNames.isValidLabelName("_x9"))
        #expect(!MetricNames.isValidLabelName("a:b"))
        #expect(!MetricNames.isValidLabelName("a-b"))
    }
}
