extension MatcherParser {
    /// Matchers given on a command line as amtool takes them: one per argument
    /// (`alertname=Foo`, `severity!=info`, `job=~"a|b"`), except that a first argument without
    /// any operator is the alert name, so `outpost silence add DiskFull` means `alertname="DiskFull"`.
    public static func parseArguments(_ arguments: [String]) throws(MatcherArgumentError) -> [Matcher] {
        var matchers: [Matcher] = []
        for (position, argument) in arguments.enumerated() {
            do throws(MatcherParseError) {
                matchers.append(try parseMatcher(argument))
            } catch {
                guard position == 0, !argument.contains(where: { "=~!{}".contains($0) }), !argument.isEmpty else {
                    throw MatcherArgumentError(argument: argument, reason: error)
                }
                do throws(MatcherParseError) {
                    matchers.append(try Matcher(name: "alertname", kind: .equal, value: argument))
                } catch {
                    throw MatcherArgumentError(argument: argument, reason: error)
                }
            }
        }
        return matchers
    }
}

/// A command-line matcher that did not parse, and why.
public struct MatcherArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public var argument: String
    public var reason: MatcherParseError

    public var description: String { "bad matcher \"\(argument)\": \(reason)" }
}
