import Alerting
import OutpostCore

/// The query parameters of `GET /api/v2/alerts` and `/api/v2/alerts/groups`: `filter` matchers
/// (repeatable), `receiver` (a regex on receiver names) and the `active`, `silenced`,
/// `inhibited` and `unprocessed` switches, all true by default.
struct AlertQuery: Sendable {
    var matchers: [Matcher] = []
    var receiver: Matcher?
    var active = true
    var silenced = true
    var inhibited = true
    var unprocessed = true

    /// Parses decoded query parameters; throws the message for a 400 when one is malformed.
    init(_ parameters: some Collection<(key: Substring, value: Substring)>) throws(AlertQueryError) {
        let parameters = Array(parameters)
        for (_, filter) in parameters.filter({ $0.key == "filter" }) {
            do throws(MatcherParseError) {
                matchers += try MatcherParser.parseMatchers(String(filter))
            } catch {
                throw AlertQueryError("bad matcher format \"\(filter)\": \(error)")
            }
        }
        if let pattern = parameters.last(where: { $0.key == "receiver" })?.value {
            do throws(MatcherParseError) {
                receiver = try Matcher(name: "receiver", kind: .regexMatch, value: String(pattern))
            } catch {
                throw AlertQueryError("bad receiver regex \"\(pattern)\": \(error.message)")
            }
        }
        active = try Self.flag("active", parameters)
        silenced = try Self.flag("silenced", parameters)
        inhibited = try Self.flag("inhibited", parameters)
        unprocessed = try Self.flag("unprocessed", parameters)
    }

    /// Whether the API lists `snapshot`; resolved alerts never are, as in Alertmanager.
    func includes(_ snapshot: AlertSnapshot, now: UnixMillis) -> Bool {
        guard !snapshot.alert.isResolved(at: now), matchers.matches(snapshot.alert.labels) else { return false }
        if let receiver, !snapshot.receivers.contains(where: receiver.matches) { return false }
        switch snapshot.state {
        case .active: return active
        case .unprocessed: return unprocessed
        case .suppressed:
            if !silenced, !snapshot.silencedBy.isEmpty { return false }
            if !inhibited, !snapshot.inhibitedBy.isEmpty { return false }
            return true
        }
    }

    private static func flag(_ name: Substring, _ parameters: [(key: Substring, value: Substring)]) throws(AlertQueryError) -> Bool {
        guard let value = parameters.last(where: { $0.key == name })?.value else { return true }
        switch value.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw AlertQueryError("\(name) must be true or false, not \"\(value)\"")
        }
    }
}

/// A malformed query parameter, worded for the client.
struct AlertQueryError: Error {
    let message: String

    init(_ message: String) { self.message = message }
}
