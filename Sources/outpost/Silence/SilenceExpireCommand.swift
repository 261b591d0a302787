import ArgumentParser

struct SilenceExpireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "expire", abstract: "Expire silences by ID.")

    @OptionGroup var server: AlertmanagerOptions

    @Argument(help: "IDs of the silences to expire.")
    var ids: [String] = []

    func run() throws {
        guard !ids.isEmpty else { throw failure("no silence IDs specified") }
        let client = server.client
        var failed = false
        for id in ids {
            do throws(AlertmanagerClientError) {
                try client.expireSilence(id: id)
            } catch {
                failed = true
                printError("Error: \(error)")
            }
        }
        if failed { throw ExitCode(1) }
    }
}
