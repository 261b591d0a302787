import ArgumentParser
import Foundation
import OutpostCore
import Rules

/// `outpost check rules FILE...`: validates Prometheus rule files as `promtool check rules` does.
struct CheckRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Check Prometheus rule files.")

    enum Lint: String, ExpressibleByArgument, CaseIterable {
        case all
        case duplicateRules = "duplicate-rules"
        case none
    }

    @Option(help: "Linting checks to apply: all, duplicate-rules or none.")
    var lint: Lint = .duplicateRules

    @Flag(help: "Make lint problems exit with status 3.")
    var lintFatal = false

    @Argument(help: "Rule files to check; standard input when none.")
    var files: [String] = []

    /// promtool's exit statuses: 1 for invalid files, 3 for lint problems with --lint-fatal.
    static let failureExitCode: Int32 = 1
    static let lintExitCode: Int32 = 3

    func run() throws {
        var failed = false
        var lintFailed = false
        for file in files.isEmpty ? ["-"] : files {
            let loaded: Result<[RuleGroup], RuleFileErrors>
            if file == "-" {
                print("Checking standard input")
                let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                loaded = RuleFileLoader.parse(yaml: text, file: "-")
            } else {
                print("Checking \(file)")
                loaded = RuleFileLoader.loadFile(file)
            }
            switch loaded {
            case .failure(let errors):
                failed = true
                printError("  FAILED:")
                for error in errors.errors { printError(error.description) }
            case .success(let groups):
                let count = groups.reduce(0) { $0 + $1.rules.count }
                let duplicates = lint != .none ? DuplicateRuleLinter.duplicates(in: groups) : []
                if duplicates.isEmpty {
                    print("  SUCCESS: \(count) rules found")
                } else {
                    if lintFatal { lintFailed = true }
                    printError("  FAILED:")
                    printError(Self.lintReport(duplicates))
                }
            }
            print("")
        }
        if failed { throw ExitCode(Self.failureExitCode) }
        if lintFailed { throw ExitCode(Self.lintExitCode) }
    }

    static func lintReport(_ duplicates: [DuplicateRule]) -> String {
        var lines = ["lint error \(duplicates.count) duplicate rule(s) found."]
        for duplicate in duplicates {
            lines.append("Metric: \(duplicate.name)")
            lines.append("Label(s):")
            for label in duplicate.labels { lines.append("\t\(label.name): \(label.value)") }
        }
        lines.append("Might cause inconsistency while recording expressions")
        return lines.joined(separator: "\n")
    }
}
