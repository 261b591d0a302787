import ArgumentParser
import OutpostCore

/// `outpost check …`: validation without running, as promtool's check commands.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check configuration files.",
        subcommands: [CheckConfigCommand.self, CheckRulesCommand.self]
    )
}

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Check outpost.yml files.")

    @Argument(help: "Configuration files to check.")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            print("Checking \(file)")
            do {
                _ = try ConfigurationLoader.load(path: file)
                print("  SUCCESS: \(file) is valid outpost config file syntax")
            } catch {
                failed = true
                printError("  FAILED: \(error)")
            }
        }
        if failed { throw ExitCode(1) }
    }
}
