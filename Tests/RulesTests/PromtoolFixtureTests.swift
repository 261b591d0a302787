import Foundation
import OutpostTestSupport
import Testing

/// Runs the `outpost` binary on every promtool fixture row of /work/shared/conformance/README.md
/// and on small rule files that Debian's promtool also judges.
@Suite struct PromtoolFixtureTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let conformance = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance")
    static let fixtures = conformance.appendingPathComponent("promtool")
    static var binary: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("outpost")
    }

    struct Row: CustomStringConvertible {
        var arguments: [String]
        var file: String
        var exit: Int32
        var description: String { (arguments + [file]).joined(separator: " ") + " -> \(exit)" }
    }

    /// The `| command | file | exit |` rows of the promtool section, except `check metrics` (not rules).
    static func rows() throws -> [Row] {
        let readme = try String(contentsOf: conformance.appendingPathComponent("README.md"), encoding: .utf8)
        guard let section = readme.range(of: "## promtool/") else { return [] }
        var rows: [Row] = []
        for line in readme[section.upperBound...].split(separator: "\n") {
            if line.hasPrefix("## ") { break }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, cells[0].hasPrefix("test rules") || cells[0].hasPrefix("check rules"),
                  let exit = Int32(cells[2].prefix { $0.isNumber }) else { continue }
            rows.append(Row(arguments: cells[0].split(separator: " ").map(String.init), file: cells[1], exit: exit))
        }
        return rows
    }

    @Test func everyReadmeRowExitsAsPromtool() throws {
        let rows = try Self.rows()
        #expect(rows.count == 21)
        for row in rows {
            let result = try ProcessRunner.run(Self.binary, row.arguments + [row.file], in: Self.fixtures)
            #expect(result.status == row.exit, "\(row): stdout \(result.stdout) stderr \(result.stderr)")
        }
    }

    @Test func failureOutputReadsLikePromtool() throws {
        let failing = try ProcessRunner.run(Self.binary, ["test", "rules", "failing.yml"], in: Self.fixtures)
        #expect(failing.stderr.contains("""
                name: Failing test,
                alertname: Test, time: 0s, 
                    exp:[
                        0:
                          Labels:{alertname="Test"}
                          Annotations:{}
                        ], 
                    got:[]
            """))
        #expect(failing.stderr.contains("""
                expr: "test", time: 0s,
                    exp: {__name__="test"} 1E+00
                    got: {__name__="test"} 0E+00
            """))
        let syntax = try ProcessRunner.run(Self.binary, ["test", "rules", "bad-rules-syntax-test.yml"], in: Self.fixtures)
        #expect(syntax.stderr.contains(
            "bad-rules-syntax.yml:7:15: group \"bad-syntax\", rule 1, \"x\": could not parse expression: 1:7: parse error: unexpected end of input"))
        let check = try ProcessRunner.run(Self.binary, ["check", "rules", "rules.yml"], in: Self.fixtures)
        #expect(check.stdout == "Checking rules.yml\n  SUCCESS: 5 rules found\n\n")
        let lint = try ProcessRunner.run(Self.binary, ["check", "rules", "prometheus-rules.lint.yml"], in: Self.fixtures)
        #expect(lint.status == 0, "lint problems only fail with --lint-fatal")
        #expect(lint.stderr.contains("lint error 1 duplicate rule(s) found.\nMetric: HighRequestLatency\nLabel(s):\n\tseverity: page\n"))
    }

    @Test func unittestFixtureNamesTheNativeHistogramChecksItCannotRun() throws {
        let result = try ProcessRunner.run(Self.binary, ["test", "rules", "unittest.yml"], in: Self.fixtures)
        #expect(result.status == 0)
        #expect(result.stderr.components(separatedBy: "native histogram").count - 1 == 3)
    }

    /// Small files judged by both: the exit status of `check rules` must agree with promtool's.
    @Test(.enabled(if: Promtool.isRequired)) func checkRulesAgreesWithPromtool() throws {
        let cases = [
            "groups: [{name: g, rules: [{record: 'job:up:sum', expr: 'sum by (job) (up)'}]}]",
            "groups: [{name: g, rules: [{alert: A, expr: 'up == 0', for: 5m, keep_firing_for: 1m, labels: {s: x}}]}]",
            "groups: [{name: g, rules: [{record: r, alert: a, expr: up}]}]",
            "groups: [{name: g, rules: [{expr: up}]}]",
            "groups: [{name: g, rules: [{record: 'bad name', expr: up}]}]",
            "groups: [{name: g, rules: [{record: r, expr: 'up +'}]}]",
            "groups: [{name: g, rules: [{record: r, expr: up, for: 1m}]}]",
            "groups: [{name: g, rules: [{record: r, expr: up, annotations: {a: b}}]}]",
            "groups: [{name: g, rules: [{record: r, expr: up, labels: {__name__: x}}]}]",
            "groups: [{name: g, rules: [{record: r, expr: up, labels: {'0x': y}}]}]",
            "groups: [{name: g, rules: []}, {name: g, rules: []}]",
            "groups: [{name: '', rules: []}]",
            "groups: [{name: g, rules: [], extra: 1}]",
            "groups: [{name: g, interval: 1x, rules: []}]",
            "groups: [{name: g, rules: [{alert: A, expr: up, annotations: {d: '{{ $label.x }}'}}]}]",
            "groups: [{name: g, rules: [{alert: A, expr: up, labels: {d: '{{ if }}'}}]}]",
        ]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, text) in cases.enumerated() {
            let file = directory.appendingPathComponent("case\(index).yml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let promtool = try Promtool.run(["check", "rules", file.path])
            let outpost = try ProcessRunner.run(Self.binary, ["check", "rules", file.path], in: directory)
            #expect(outpost.status == promtool.status, "\(text): promtool \(promtool.output) outpost \(outpost.stderr)")
        }
    }

    @Test func groupOrderAndExternalLabelsReachTheRules() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            groups:
              - name: b
                rules:
                  - record: y
                    expr: x * 2
              - name: a
                rules:
                  - record: x
                    expr: vector(1)
                  - alert: Site
                    expr: vector(1)
                    annotations: {where: "{{ $externalLabels.dc }} {{ $externalURL }}"}
            """.write(to: directory.appendingPathComponent("order.yml"), atomically: true, encoding: .utf8)
        func testFile(order: String, yAtZero: String) -> String {
            """
            rule_files: [order.yml]
            group_eval_order: [\(order)]
            tests:
              - external_labels: {dc: east}
                external_url: http://o:9090
                alert_rule_test:
                  - eval_time: 0
                    alertname: Site
                    exp_alerts: [{exp_annotations: {where: "east http://o:9090"}}]
                promql_expr_test:
                  - expr: y
                    eval_time: 0
                    exp_samples: \(yAtZero)
                  - expr: y
                    eval_time: 1m
                    exp_samples: [{labels: y, value: 2}]
            """
        }
        try testFile(order: "a, b", yAtZero: "[{labels: y, value: 2}]")
            .write(to: directory.appendingPathComponent("ab.yml"), atomically: true, encoding: .utf8)
        try testFile(order: "b, a", yAtZero: "[]")
            .write(to: directory.appendingPathComponent("ba.yml"), atomically: true, encoding: .utf8)
        for file in ["ab.yml", "ba.yml"] {
            let result = try ProcessRunner.run(Self.binary, ["test", "rules", file], in: directory)
            #expect(result.status == 0, "\(file): \(result.stderr)")
        }
        let wrong = testFile(order: "b, a", yAtZero: "[{labels: y, value: 2}]")
        try wrong.write(to: directory.appendingPathComponent("wrong.yml"), atomically: true, encoding: .utf8)
        #expect(try ProcessRunner.run(Self.binary, ["test", "rules", "wrong.yml"], in: directory).status == 1)
    }

    @Test func startTimestampShiftsInputAndEvalTimes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            tests:
              - start_timestamp: 1700000000
                input_series:
                  - series: x
                    values: 5 7
                promql_expr_test:
                  - expr: timestamp(x)
                    eval_time: 1m
                    exp_samples: [{value: 1700000060}]
                  - expr: x
                    eval_time: 30s
                    exp_samples: [{labels: x, value: 5}]
            """.write(to: directory.appendingPathComponent("start.yml"), atomically: true, encoding: .utf8)
        let result = try ProcessRunner.run(Self.binary, ["test", "rules", "start.yml"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
