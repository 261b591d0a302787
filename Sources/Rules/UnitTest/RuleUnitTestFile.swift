import Foundation
import OutpostCore
import Yams

/// A promtool rule unit-test file (`promtool test rules`).
struct RuleUnitTestFile {
    var ruleFiles: [String] = []
    var evaluationInterval: Int64 = 60_000
    var groupEvalOrder: [String] = []
    var fuzzyCompare = false
    var tests: [TestGroup] = []

    struct TestGroup {
        var name = ""
        var interval: Int64?
        var inputSeries: [InputSeries] = []
        var alertTests: [AlertTest] = []
        var exprTests: [ExprTest] = []
        var externalLabels = Labels()
        var externalURL = ""
        var startTimestamp: Int64 = 0
    }

    struct InputSeries {
        var series: String
        var values: String
    }

    struct AlertTest {
        var evalTime: Int64
        var alertname: String
        var expected: [(labels: Labels, annotations: Labels)]
    }

    struct ExprTest {
        var expr: String
        var evalTime: Int64
        var expected: [ExpectedSample]
    }

    struct ExpectedSample {
        var labels: String
        var value: Double
        var histogram: String?
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses the file strictly: unknown fields are errors unless `ignoreUnknownFields`.
    init(yaml: String, ignoreUnknownFields: Bool) throws {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw Invalid(description: "yaml: \(error)") }
        guard let root, !YAMLNodes.isNull(root) else { return }
        let reader = Reader(ignoreUnknownFields: ignoreUnknownFields)
        for (name, key, value) in try reader.mapping(root, "main.unitTestFile") {
            switch name {
            case "rule_files": ruleFiles = try reader.list(value) { try reader.string($0) }
            case "evaluation_interval": evaluationInterval = try reader.duration(value) ?? evaluationInterval
            case "group_eval_order": groupEvalOrder = try reader.list(value) { try reader.string($0) }
            case "fuzzy_compare": fuzzyCompare = try reader.bool(value)
            case "tests": tests = try reader.list(value) { try TestGroup(node: $0, reader: reader) }
            default: try reader.unknown(name, key, "main.unitTestFile")
            }
        }
    }

    /// Typed reads of nodes with Go yaml.v2-like messages (`line N: ...`).
    struct Reader {
        var ignoreUnknownFields: Bool

        func fail(_ node: Node, _ message: String) -> Invalid {
            Invalid(description: "yaml: unmarshal errors:\n  line \(node.mark?.line ?? 1): \(message)")
        }

        func unknown(_ name: String, _ key: Node, _ type: String) throws {
            if !ignoreUnknownFields { throw fail(key, "field \(name) not found in type \(type)") }
        }

        func mapping(_ node: Node, _ type: String) throws -> [(name: String, key: Node, value: Node)] {
            if YAMLNodes.isNull(node) { return [] }
            guard let entries = YAMLNodes.entries(node) else {
                throw fail(node, "cannot unmarshal \(YAMLNodes.describe(node)) into \(type)")
            }
            return entries
        }

        func list<T>(_ node: Node, _ element: (Node) throws -> T) throws -> [T] {
            if YAMLNodes.isNull(node) { return [] }
            guard case .sequence(let sequence) = node else {
                throw fail(node, "cannot unmarshal \(YAMLNodes.describe(node)) into a list")
            }
            return try sequence.map(element)
        }

        func string(_ node: Node) throws -> String {
            guard let text = YAMLNodes.string(node) else { throw fail(node, "cannot unmarshal \(YAMLNodes.describe(node)) into string") }
            return text
        }

        func bool(_ node: Node) throws -> Bool {
            switch try string(node) {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE", "": return false
            default: throw fail(node, "cannot unmarshal \(YAMLNodes.describe(node)) into bool")
            }
        }

        func double(_ node: Node) throws -> Double {
            let text = try string(node)
            switch text {
            case "": return 0
            case ".inf", ".Inf", "+.inf", "+.Inf": return .infinity
            case "-.inf", "-.Inf": return -.infinity
            case ".nan", ".NaN", ".NAN": return .nan
            default:
                guard let value = Double(text) else { throw fail(node, "cannot unmarshal \(YAMLNodes.describe(node)) into float64") }
                return value
            }
        }

        func duration(_ node: Node) throws -> Int64? {
            let text = try string(node)
            if text.isEmpty { return nil }
            guard let milliseconds = PrometheusDuration.milliseconds(text) else {
                throw fail(node, "not a valid duration string: \"\(text)\"")
            }
            return milliseconds
        }

        func stringMap(_ node: Node) throws -> Labels {
            var labels = Labels()
            for (name, _, value) in try mapping(node, "map[string]string") { labels[name] = try string(value) }
            return labels
        }
    }
}

extension RuleUnitTestFile.TestGroup {
    init(node: Node, reader: RuleUnitTestFile.Reader) throws {
        for (name, key, value) in try reader.mapping(node, "main.testGroup") {
            switch name {
            case "name": self.name = try reader.string(value)
            case "interval": interval = try reader.duration(value)
            case "input_series":
                inputSeries = try reader.list(value) { element in
                    var series = RuleUnitTestFile.InputSeries(series: "", values: "")
                    for (field, fieldKey, fieldValue) in try reader.mapping(element, "main.series") {
                        switch field {
                        case "series": series.series = try reader.string(fieldValue)
                        case "values": series.values = try reader.string(fieldValue)
                        default: try reader.unknown(field, fieldKey, "main.series")
                        }
                    }
                    return series
                }
            case "alert_rule_test": alertTests = try reader.list(value) { try RuleUnitTestFile.AlertTest(node: $0, reader: reader) }
            case "promql_expr_test": exprTests = try reader.list(value) { try RuleUnitTestFile.ExprTest(node: $0, reader: reader) }
            case "external_labels": externalLabels = try reader.stringMap(value)
            case "external_url": externalURL = try reader.string(value)
            case "start_timestamp": startTimestamp = try Self.timestamp(value, reader: reader)
            default: try reader.unknown(name, key, "main.testGroup")
            }
        }
    }

    /// `start_timestamp`: Unix seconds (fractions allowed) or RFC 3339.
    private static func timestamp(_ node: Node, reader: RuleUnitTestFile.Reader) throws -> Int64 {
        let text = try reader.string(node)
        if let seconds = Double(text) { return Int64((seconds * 1000).rounded()) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        guard let date = formatter.date(from: text) else {
            throw reader.fail(node, "cannot parse \"\(text)\" as a Unix timestamp or RFC 3339 time")
        }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

extension RuleUnitTestFile.AlertTest {
    init(node: Node, reader: RuleUnitTestFile.Reader) throws {
        evalTime = 0
        alertname = ""
        expected = []
        for (name, key, value) in try reader.mapping(node, "main.alertTestCase") {
            switch name {
            case "eval_time": evalTime = try reader.duration(value) ?? 0
            case "alertname": alertname = try reader.string(value)
            case "exp_alerts":
                expected = try reader.list(value) { element in
                    var labels = Labels()
                    var annotations = Labels()
                    for (field, fieldKey, fieldValue) in try reader.mapping(element, "main.alert") {
                        switch field {
                        case "exp_labels": labels = try reader.stringMap(fieldValue)
                        case "exp_annotations": annotations = try reader.stringMap(fieldValue)
                        default: try reader.unknown(field, fieldKey, "main.alert")
                        }
                    }
                    return (labels, annotations)
                }
            default: try reader.unknown(name, key, "main.alertTestCase")
            }
        }
    }
}

extension RuleUnitTestFile.ExprTest {
    init(node: Node, reader: RuleUnitTestFile.Reader) throws {
        expr = ""
        evalTime = 0
        expected = []
        for (name, key, value) in try reader.mapping(node, "main.promqlTestCase") {
            switch name {
            case "expr": expr = try reader.string(value)
            case "eval_time": evalTime = try reader.duration(value) ?? 0
            case "exp_samples":
                expected = try reader.list(value) { element in
                    var sample = RuleUnitTestFile.ExpectedSample(labels: "", value: 0, histogram: nil)
                    for (field, fieldKey, fieldValue) in try reader.mapping(element, "main.sample") {
                        switch field {
                        case "labels": sample.labels = try reader.string(fieldValue)
                        case "value": sample.value = try reader.double(fieldValue)
                        case "histogram": sample.histogram = try reader.string(fieldValue)
                        default: try reader.unknown(field, fieldKey, "main.sample")
                        }
                    }
                    return sample
                }
            default: try reader.unknown(name, key, "main.promqlTestCase")
            }
        }
    }
}
