import Foundation
import OutpostTestSupport
import PromQL
import Testing
import Yams

/// rules/: every file passes `promtool check rules` and `outpost check rules`, has a unit-test
/// file that passes `promtool test rules` and `outpost test rules`, explains each group in a
/// comment, and uses PromQL that Outpost's parser accepts.
@Suite struct RuleFileTests {
    static let expected = ["outpost.yml", "slo.yml", "statsd.yml", "tls.yml", "uptime.yml"]

    static func ruleFiles() throws -> [URL] { try RepositoryFiles.files(in: "rules", suffix: ".yml") }

    @Test func everyRuleFileIsShippedWithATestFile() throws {
        let files = try Self.ruleFiles().map(\.lastPathComponent)
        #expect(files == Self.expected)
        let tests = try RepositoryFiles.files(in: "rules/tests", suffix: ".yml").map(\.lastPathComponent)
        #expect(tests == files.map { $0.replacingOccurrences(of: ".yml", with: "_test.yml") })
    }

    @Test func promtoolChecksEveryRuleFile() throws {
        guard Promtool.isRequired else {
            print("promtool not installed: skipping promtool check rules (CI installs it)")
            return
        }
        for file in try Self.ruleFiles() {
            let result = try Promtool.run(["check", "rules", file.path])
            #expect(result.status == 0, "\(file.lastPathComponent): \(result.output)")
            #expect(result.output.contains("SUCCESS"), "\(result.output)")
        }
    }

    @Test func promtoolRunsEveryUnitTestFile() throws {
        guard Promtool.isRequired else {
            print("promtool not installed: skipping promtool test rules (CI installs it)")
            return
        }
        for file in try RepositoryFiles.files(in: "rules/tests", suffix: ".yml") {
            let result = try Promtool.run(["test", "rules", file.path])
            #expect(result.status == 0, "\(file.lastPathComponent): \(result.output)")
            #expect(result.output.contains("SUCCESS"), "\(result.output)")
        }
    }

    /// Outpost loads the files it ships, and counts the rules the YAML holds.
    @Test func outpostChecksEveryRuleFile() throws {
        for file in try Self.ruleFiles() {
            let count = try rules(in: file).count
            let result = try ProcessRunner.run(OutpostDaemon.binary, ["check", "rules", file.path], mergeStandardError: true)
            #expect(result.status == 0, "\(file.lastPathComponent): \(result.output)")
            #expect(result.output.contains("SUCCESS: \(count) rules found"), "\(result.output)")
        }
    }

    /// The unit tests hold under Outpost's evaluation (Prometheus 3 semantics) as under
    /// promtool 2's, and use nothing Outpost's runner leaves out.
    @Test func outpostRunsEveryUnitTestFile() throws {
        for file in try RepositoryFiles.files(in: "rules/tests", suffix: ".yml") {
            let result = try ProcessRunner.run(OutpostDaemon.binary, ["test", "rules", file.path], mergeStandardError: true)
            #expect(result.status == 0, "\(file.lastPathComponent): \(result.output)")
            #expect(result.output.contains("SUCCESS") && !result.output.contains("UNSUPPORTED"), "\(result.output)")
        }
    }

    /// Every alert in the rule files is exercised by at least one alert_rule_test, so no
    /// alert ships untested.
    @Test func everyAlertIsExercisedByAUnitTest() throws {
        for file in try Self.ruleFiles() {
            let testFile = RepositoryFiles.url("rules/tests/" + file.lastPathComponent.replacingOccurrences(of: ".yml", with: "_test.yml"))
            let tested = Set(try alertRuleTests(in: testFile))
            for rule in try rules(in: file) {
                if let alert = rule["alert"] as? String {
                    #expect(tested.contains(alert), "\(file.lastPathComponent): \(alert) has no alert_rule_test")
                }
            }
        }
    }

    @Test func everyExpressionParsesWithOutpostsParser() throws {
        var parsed = 0
        for file in try Self.ruleFiles() {
            for rule in try rules(in: file) {
                let expr = try #require(rule["expr"] as? String, "\(file.lastPathComponent): a rule without expr")
                do {
                    _ = try Parser.parse(expr)
                    parsed += 1
                } catch {
                    Issue.record("\(file.lastPathComponent): \(rule["alert"] ?? rule["record"] ?? ""): \(error)")
                }
            }
        }
        #expect(parsed >= 40)
    }

    /// "Each group explained in a comment": the line before every `- name:` of a group is a
    /// comment.
    @Test func everyGroupIsExplainedInAComment() throws {
        for file in try Self.ruleFiles() {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            let groupLines = lines.indices.filter { lines[$0].hasPrefix("  - name: ") }
            #expect(!groupLines.isEmpty)
            for index in groupLines {
                #expect(index > 0 && lines[index - 1].trimmingCharacters(in: .whitespaces).hasPrefix("#"),
                        "\(file.lastPathComponent): group at line \(index + 1) has no comment")
            }
        }
    }

    /// Alerts say how bad they are, for routing, and what is wrong.
    @Test func everyAlertHasASeverityAndASummary() throws {
        for file in try Self.ruleFiles() {
            for rule in try rules(in: file) where rule["alert"] != nil {
                let labels = rule["labels"] as? [String: Any] ?? [:]
                let annotations = rule["annotations"] as? [String: Any] ?? [:]
                #expect(["critical", "warning", "info"].contains(labels["severity"] as? String ?? ""), "\(file.lastPathComponent): \(rule["alert"]!)")
                #expect(annotations["summary"] != nil && annotations["description"] != nil, "\(file.lastPathComponent): \(rule["alert"]!)")
            }
        }
    }

    private func rules(in file: URL) throws -> [[String: Any]] {
        let document = try #require(try Yams.load(yaml: String(contentsOf: file, encoding: .utf8)) as? [String: Any])
        let groups = try #require(document["groups"] as? [[String: Any]])
        return groups.flatMap { $0["rules"] as? [[String: Any]] ?? [] }
    }

    private func alertRuleTests(in file: URL) throws -> [String] {
        let document = try #require(try Yams.load(yaml: String(contentsOf: file, encoding: .utf8)) as? [String: Any])
        let tests = try #require(document["tests"] as? [[String: Any]])
        return tests.flatMap { ($0["alert_rule_test"] as? [[String: Any]] ?? []).compactMap { $0["alertname"] as? String } }
    }
}
