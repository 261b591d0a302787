import ArgumentParser
import OutpostCore
import Rules

/// `outpost test …`: unit tests, as promtool's test commands.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run unit tests.",
        subcommands: [TestRulesCommand.self]
    )
}

/// `outpost test rules FILE...`: promtool's rule unit-test format.
struct TestRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Unit-test Prometheus rule files.")

    @Option(name: .customLong("run"), help: "Only run test groups whose name matches this regular expression (repeatable).")
    var runPatterns: [String] = []

    @Flag(help: "Ignore unknown fields in the rule files.")
    var ignoreUnknownFields = false

    @Argument(help: "Unit-test files.")
    var files: [String]

    func validate() throws {
        if let invalid = RuleUnitTestRunner.invalidPatterns(runPatterns).first {
            throw ValidationError("invalid --run regular expression: \(invalid)")
        }
    }

    func run() throws {
        let runner = RuleUnitTestRunner(runPatterns: runPatterns, ignoreUnknownFields: ignoreUnknownFields)
        var failed = false
        for file in files {
            print("Unit Testing:  \(file)")
            let report = runner.run(path: file)
            for note in report.unsupported { printError("  UNSUPPORTED:\n\(note)") }
            if report.passed {
                print("  SUCCESS")
            } else {
                failed = true
                printError("  FAILED:")
                for failure in report.failures {
                    printError(failure)
                    print("")
                }
            }
            print("")
        }
        if failed { throw ExitCode(1) }
    }
}
