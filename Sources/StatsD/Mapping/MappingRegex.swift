import OutpostCore

/// A compiled `match_type: regex` pattern. Like statsd_exporter it is not anchored: it maps
/// a name when it matches anywhere in it, and its groups are the captures.
struct MappingRegex: @unchecked Sendable {
    // Regex values are immutable once built; matching does not mutate shared state.
    private let regex: Regex<AnyRegexOutput>
    /// Decides first, in linear time, whether the name matches at all: names come from the
    /// network, and a backtracking engine is slowest on the ones a pattern does not match.
    private let matcher: GoRegexMatcher

    init(_ pattern: String) throws {
        matcher = try GoRegexMatcher(pattern)
        regex = try matcher.swiftRegex()
    }

    /// The groups of the first match, group 1 first; nil when the name does not match.
    func captures(in name: String) -> [Substring]? {
        guard matcher.matches(name), let match = try? regex.firstMatch(in: name) else { return nil }
        var captures: [Substring] = []
        for index in 1..<max(1, match.output.count) {
            captures.append(match.output[index].substring ?? "")
        }
        return captures
    }
}
