import Alerting
import ArgumentParser
import OutpostCore

struct SilenceQueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "List silences that are not expired (or only expired ones).",
        discussion: "Matchers filter as amtool's do: a silence is listed when it has each given matcher."
    )

    @OptionGroup var server: AlertmanagerOptions

    @Flag(help: "Show expired silences instead of active and pending ones.")
    var expired = false

    @Flag(name: [.short, .long], help: "Only print silence IDs.")
    var quiet = false

    @Argument(help: "Matchers the listed silences must have.")
    var matchers: [String] = []

    func run() throws {
        let filter = try parseMatcherArguments(matchers)
        let silences: [AlertmanagerAPI.GettableSilence]
        do throws(AlertmanagerClientError) {
            silences = try server.client.silences(filter: filter)
        } catch {
            throw failure("\(error)")
        }
        let now = SystemClock().now()
        let shown = silences
            .map { (silence: $0, endsAt: RFC3339.parse($0.endsAt) ?? 0) }
            .filter { expired ? $0.endsAt <= now : $0.endsAt > now }
            .sorted { ($0.endsAt, $0.silence.id) < ($1.endsAt, $1.silence.id) }
            .map(\.silence)
        if quiet {
            for silence in shown { print(silence.id) }
        } else {
            print(SilenceTable.render(shown), terminator: "")
        }
    }
}
