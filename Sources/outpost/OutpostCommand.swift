import ArgumentParser

@main
struct OutpostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outpost",
        abstract: "Probing, StatsD ingestion, rules and alert routing in one binary.",
        version: BuildInfo.versionLine,
        subcommands: [RunCommand.self, CheckCommand.self, TestCommand.self, SilenceCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
