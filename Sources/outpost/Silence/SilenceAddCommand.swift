import Alerting
import ArgumentParser
import Foundation
import OutpostCore

struct SilenceAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a silence and print its ID.",
        discussion: """
        Each argument is one matcher: alertname=Foo, severity!=info, job=~"a|b" or job!~"c.*". \
        A first argument without an operator is the alert name: `outpost silence add DiskFull env=prod`.
        """
    )

    @OptionGroup var server: AlertmanagerOptions

    @Option(name: [.short, .long], help: "Who creates the silence (default: the current user).")
    var author: String?

    @Option(name: [.short, .long], help: "Why the silence exists (required).")
    var comment: String?

    @Option(name: [.short, .long], help: "How long the silence lasts from its start, e.g. 2h or 1d12h.")
    var duration = "1h"

    @Option(help: "When the silence starts, RFC 3339 (default: now).")
    var start: String?

    @Option(help: "When the silence ends, RFC 3339; overrides --duration.")
    var end: String?

    @Argument(help: "Matchers the silenced alerts must all match.")
    var matchers: [String] = []

    func run() throws {
        let parsed = try parseMatcherArguments(matchers)
        guard !parsed.isEmpty else { throw failure("no matchers specified") }
        let startsAt = try start.map { text throws in
            guard let time = RFC3339.parse(text) else { throw failure("--start \"\(text)\" is not an RFC 3339 time") }
            return time
        } ?? SystemClock().now()
        let endsAt: UnixMillis
        if let end {
            guard let time = RFC3339.parse(end) else { throw failure("--end \"\(end)\" is not an RFC 3339 time") }
            endsAt = time
        } else {
            guard let length = PrometheusDuration.milliseconds(duration) else { throw failure("--duration \"\(duration)\" is not a duration") }
            guard length > 0 else { throw failure("silence duration must be greater than 0") }
            endsAt = startsAt + length
        }
        guard endsAt >= startsAt else { throw failure("silence cannot start after it ends") }
        guard let comment, !comment.isEmpty else { throw failure("a comment is required (--comment)") }
        let silence = AlertmanagerAPI.PostableSilence(
            matchers: parsed.map(AlertmanagerAPI.Matcher.init), startsAt: RFC3339.format(startsAt), endsAt: RFC3339.format(endsAt),
            createdBy: author ?? Self.currentUser, comment: comment
        )
        do throws(AlertmanagerClientError) {
            print(try server.client.createSilence(silence))
        } catch {
            throw failure("\(error)")
        }
    }

    /// The login name, as amtool's default author.
    static var currentUser: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? ""
    }
}
