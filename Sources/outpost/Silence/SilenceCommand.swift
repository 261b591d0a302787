import Alerting
import ArgumentParser

/// `outpost silence …`: amtool's silence commands against a running Outpost or Alertmanager.
struct SilenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Add, query and expire silences through the Alertmanager API.",
        subcommands: [SilenceAddCommand.self, SilenceQueryCommand.self, SilenceExpireCommand.self],
        defaultSubcommand: SilenceQueryCommand.self
    )
}

/// Where the API is; shared by every `silence` subcommand.
struct AlertmanagerOptions: ParsableArguments {
    @Option(name: .customLong("alertmanager.url"), help: "Alertmanager API to talk to: Outpost's listen address or an Alertmanager.")
    var url = "http://127.0.0.1:9393"

    var client: AlertmanagerClient { AlertmanagerClient(baseURL: url) }
}

/// Matchers from arguments, or the exit after saying what is wrong with them.
func parseMatcherArguments(_ arguments: [String]) throws -> [Matcher] {
    do throws(MatcherArgumentError) {
        return try MatcherParser.parseArguments(arguments)
    } catch {
        throw failure("\(error)")
    }
}

/// Prints `message` as amtool prints errors and gives the exit status 1 to throw.
func failure(_ message: String) -> ExitCode {
    printError("Error: \(message)")
    return ExitCode(1)
}
