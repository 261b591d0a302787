import Foundation
import OutpostCore
import Templating
import PromQL
import TSDB

/// One test group of a unit-test file, run in a fresh head.
struct TestGroupRun {
    let test: RuleUnitTestFile.TestGroup
    let file: RuleUnitTestFile
    let ruleFiles: [String]
    let groupOrder: [String: Int]
    let ignoreUnknownFields: Bool
    var failures: [String] = []
    var unsupported: [String] = []

    init(test: RuleUnitTestFile.TestGroup, file: RuleUnitTestFile, ruleFiles: [String], groupOrder: [String: Int], ignoreUnknownFields: Bool) {
        self.test = test
        self.file = file
        self.ruleFiles = ruleFiles
        self.groupOrder = groupOrder
        self.ignoreUnknownFields = ignoreUnknownFields
    }

    private var testName: String { test.name.isEmpty ? "" : "    name: \(test.name),\n" }

    mutating func execute() {
        let evalInterval = file.evaluationInterval
        let inputInterval = test.interval ?? evalInterval
        let start = test.startTimestamp
        let head = Head()
        var options = EngineOptions()
        options.defaultSubqueryStep = evalInterval
        let engine = Engine(queryable: head, options: options)

        var input: [(t: Int64, labels: Labels, value: Double)] = []
        for series in test.inputSeries {
            do {
                let labels = try SeriesLine.parseLabels(series.series)
                for (index, value) in try SeriesLine.parseValues(series.values).enumerated() {
                    // Native histogram samples are not stored; checks that expect them are reported unsupported.
                    if case .float(let v) = value { input.append((start + Int64(index) * inputInterval, labels, v)) }
                }
            } catch {
                failures = ["\(error)"]
                return
            }
        }
        input.sort { $0.t < $1.t }

        let groups: [RuleGroup]
        do {
            groups = try RuleFileLoader.load(paths: ruleFiles, defaultInterval: inputInterval, ignoreUnknownFields: ignoreUnknownFields)
        } catch {
            failures = error.errors.map(\.description)
            return
        }
        let ordered = groups.enumerated().sorted {
            (groupOrder[$0.element.name] ?? 0, $0.offset) < (groupOrder[$1.element.name] ?? 0, $1.offset)
        }.map(\.element)
        let evaluators = ordered.map {
            RuleGroupEvaluator(group: $0, engine: engine, head: head, externalLabels: test.externalLabels, externalURL: test.externalURL)
        }

        for alertTest in test.alertTests where alertTest.alertname.isEmpty {
            let location = test.name.isEmpty ? "" : " (in TestGroup \(test.name))"
            failures = ["an item under alert_rule_test misses required attribute alertname at eval_time "
                + PrometheusDuration.format(milliseconds: alertTest.evalTime) + location]
            return
        }
        let alertTimes = Set(test.alertTests.map(\.evalTime)).sorted()
        let maxEval = (test.alertTests.map(\.evalTime) + test.exprTests.map(\.evalTime)).max() ?? 0
        var nextAlertTime = 0
        var nextInput = 0
        var ts = start
        while ts <= start + maxEval {
            var batch: [(labels: Labels, t: Int64, v: Double)] = []
            while nextInput < input.count, input[nextInput].t <= ts {
                batch.append((input[nextInput].labels, input[nextInput].t, input[nextInput].value))
                nextInput += 1
            }
            head.append(batch: batch)
            var evalErrors: [String] = []
            for evaluator in evaluators {
                for failure in evaluator.evaluate(at: ts).failures {
                    evalErrors.append("    rule: \(failure.name), time: \(GoFormat.duration(milliseconds: ts - start)), err: \(failure.lastError ?? "")")
                }
            }
            if !evalErrors.isEmpty {
                failures += evalErrors
                return
            }
            // Alerts expected at `eval_time` are compared after the evaluation at or just before it.
            while nextAlertTime < alertTimes.count, ts - start <= alertTimes[nextAlertTime], alertTimes[nextAlertTime] < ts - start + evalInterval {
                checkAlerts(at: alertTimes[nextAlertTime], evaluators: evaluators)
                nextAlertTime += 1
            }
            ts += evalInterval
        }
        for exprTest in test.exprTests { checkExpression(exprTest, engine: engine, start: start) }
    }

    private mutating func checkAlerts(at evalTime: Int64, evaluators: [RuleGroupEvaluator]) {
        let statuses = evaluators.map(\.status)
        for alertTest in test.alertTests where alertTest.evalTime == evalTime {
            var got: [(labels: Labels, annotations: Labels)] = []
            for status in statuses {
                for rule in status.rules where rule.kind == .alerting && rule.name == alertTest.alertname {
                    got += rule.alerts.filter { $0.state == .firing }.map { ($0.labels, $0.annotations) }
                }
            }
            let expected = alertTest.expected.map { alert in
                var labels = alert.labels
                labels[RuleGroupEvaluator.alertNameLabel] = alertTest.alertname
                return (labels: labels, annotations: alert.annotations)
            }
            let order: ((labels: Labels, annotations: Labels), (labels: Labels, annotations: Labels)) -> Bool = {
                $0.labels != $1.labels ? $0.labels < $1.labels : $0.annotations < $1.annotations
            }
            let sortedGot = got.sorted(by: order)
            let sortedExpected = expected.sorted(by: order)
            let equal = sortedGot.count == sortedExpected.count
                && zip(sortedGot, sortedExpected).allSatisfy { $0.labels == $1.labels && $0.annotations == $1.annotations }
            if !equal {
                let indent = String(repeating: " ", count: 12)
                failures.append(testName + "    alertname: \(alertTest.alertname), time: \(PrometheusDuration.format(milliseconds: evalTime)), \n"
                    + "        exp:\(Self.indentLines(Self.alertsString(sortedExpected), indent)), \n"
                    + "        got:\(Self.indentLines(Self.alertsString(sortedGot), indent))")
            }
        }
    }

    private mutating func checkExpression(_ exprTest: RuleUnitTestFile.ExprTest, engine: Engine, start: Int64) {
        let time = PrometheusDuration.format(milliseconds: exprTest.evalTime)
        let prefix = "    expr: \(GoQuote.quote(exprTest.expr)), time: \(time)"
        if exprTest.expected.contains(where: { $0.histogram != nil }) {
            unsupported.append(prefix + ": expects native histogram samples, which Outpost does not store; not checked")
            return
        }
        var got: [(labels: Labels, value: Double)]
        do {
            let result = try engine.instantQuery(exprTest.expr, at: start + exprTest.evalTime)
            switch result.value {
            case .vector(let samples): got = samples.map { ($0.labels, $0.value) }
            case .scalar(_, let value): got = [(Labels(), value)]
            case .string, .matrix:
                failures.append(prefix + ", err: rule result is not a vector or scalar")
                return
            }
        } catch {
            failures.append(prefix + ", err: \(error)")
            return
        }
        var expected: [(labels: Labels, value: Double)] = []
        for sample in exprTest.expected {
            do {
                let labels = sample.labels.allSatisfy(\.isWhitespace) ? Labels() : try SeriesLine.parseLabels(sample.labels)
                expected.append((labels, sample.value))
            } catch {
                failures.append(prefix + ", err: labels \(GoQuote.quote(sample.labels)): \(error)")
                return
            }
        }
        got.sort { $0.labels < $1.labels }
        expected.sort { $0.labels < $1.labels }
        let equal = got.count == expected.count
            && zip(got, expected).allSatisfy { $0.labels == $1.labels && valuesMatch($0.value, $1.value) }
        if !equal {
            failures.append(testName + prefix + ",\n        exp: \(Self.samplesString(expected))\n        got: \(Self.samplesString(got))")
        }
    }

    /// Exact, or with `fuzzy_compare` within one unit in the last place (rounding noise only).
    private func valuesMatch(_ a: Double, _ b: Double) -> Bool {
        if a == b { return true }
        guard file.fuzzyCompare, a.isFinite, b.isFinite else { return false }
        return (a - b).magnitude <= max(a.magnitude, b.magnitude) * Double.ulpOfOne
    }

    static func samplesString(_ samples: [(labels: Labels, value: Double)]) -> String {
        samples.isEmpty ? "nil" : samples.map { GoFormat.labels($0.labels) + " " + GoFormat.exponent($0.value) }.joined(separator: ", ")
    }

    static func alertsString(_ alerts: [(labels: Labels, annotations: Labels)]) -> String {
        guard !alerts.isEmpty else { return "[]" }
        var out = "["
        for (index, alert) in alerts.enumerated() {
            out += (index == 0 ? "\n" : ",\n") + "\(index):"
            out += indentLines("\nLabels:" + GoFormat.labels(alert.labels) + "\nAnnotations:" + GoFormat.labels(alert.annotations), "  ")
        }
        return out + "\n]"
    }

    /// Prefixes every line but the first with `indent`.
    static func indentLines(_ text: String, _ indent: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : indent + $0.element }
            .joined(separator: "\n")
    }
}
