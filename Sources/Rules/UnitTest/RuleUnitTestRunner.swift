import Foundation
import OutpostCore
import PromQL
import TSDB

/// What one unit-test file produced: promtool-style failure blocks, and checks that could not run.
public struct RuleUnitTestReport: Sendable {
    public var file: String
    /// Each failure as promtool prints it (several lines, indented).
    public var failures: [String]
    /// Checks skipped because they need native histograms, which Outpost does not store.
    public var unsupported: [String]

    public var passed: Bool { failures.isEmpty }
}

/// Runs promtool's rule unit tests (`promtool test rules`): loads each test group's input series
/// into a fresh head, evaluates all rule groups every `evaluation_interval` up to the last
/// `eval_time`, and compares firing alerts and PromQL results with the expectations.
public struct RuleUnitTestRunner: Sendable {
    /// Regular expressions (`--run`): only test groups whose name matches one of them run; empty runs all.
    public var runPatterns: [String]
    public var ignoreUnknownFields: Bool

    public init(runPatterns: [String] = [], ignoreUnknownFields: Bool = false) {
        self.runPatterns = runPatterns
        self.ignoreUnknownFields = ignoreUnknownFields
    }

    /// The patterns that are not valid regular expressions.
    public static func invalidPatterns(_ patterns: [String]) -> [String] {
        patterns.filter { (try? GoRegexSyntax.regex($0)) == nil }
    }

    public func run(path: String) -> RuleUnitTestReport {
        var report = RuleUnitTestReport(file: path, failures: [], unsupported: [])
        let file: RuleUnitTestFile
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            file = try RuleUnitTestFile(yaml: text, ignoreUnknownFields: ignoreUnknownFields)
        } catch {
            report.failures = ["\(error)"]
            return report
        }
        var order: [String: Int] = [:]
        for (index, name) in file.groupEvalOrder.enumerated() {
            guard order[name] == nil else {
                report.failures = ["group name repeated in evaluation order: \(name)"]
                return report
            }
            order[name] = index
        }
        let directory = (path as NSString).deletingLastPathComponent
        let ruleFiles = file.ruleFiles.flatMap { RuleUnitTestRunner.resolve($0, relativeTo: directory) }
        let patterns = runPatterns.compactMap { try? GoRegexSyntax.regex($0) }
        let selected: (String) -> Bool = { name in
            patterns.isEmpty || patterns.contains { (try? $0.firstMatch(in: name)) != nil }
        }
        for test in file.tests where selected(test.name) {
            var run = TestGroupRun(test: test, file: file, ruleFiles: ruleFiles, groupOrder: order,
                                   ignoreUnknownFields: ignoreUnknownFields)
            run.execute()
            report.failures += run.failures
            report.unsupported += run.unsupported
        }
        return report
    }

    /// A `rule_files` entry joined to the test file's directory, globs expanded.
    static func resolve(_ pattern: String, relativeTo directory: String) -> [String] {
        let path = pattern.hasPrefix("/") || directory.isEmpty ? pattern : (directory as NSString).appendingPathComponent(pattern)
        guard path.contains(where: { "*?[".contains($0) }) else { return [path] }
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(path, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }
    }
}
