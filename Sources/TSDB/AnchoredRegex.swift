import OutpostCore

/// A regex that must match a whole string, with literal fast paths for the common cases.
struct AnchoredRegex: Sendable {
    private let regex: GoRegexMatcher?
    private let literal: String?
    private let alternatives: Set<String>?

    init(_ pattern: String) throws(LabelMatcherError) {
        if AnchoredRegex.isLiteral(pattern) {
            literal = pattern
            alternatives = nil
            regex = nil
        } else if pattern.contains("|"), pattern.split(separator: "|", omittingEmptySubsequences: false).allSatisfy({ AnchoredRegex.isLiteral(String($0)) }) {
            literal = nil
            alternatives = Set(pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
            regex = nil
        } else {
            literal = nil
            alternatives = nil
            do {
                // Prometheus anchors its matchers as ^(?s:…)$, so `.` matches a newline there too.
                regex = try GoRegexMatcher("^(?s:" + pattern + ")$")
            } catch {
                throw LabelMatcherError(description: error.description)
            }
        }
    }

    func matches(_ candidate: String) -> Bool {
        if let literal { return candidate == literal }
        if let alternatives { return alternatives.contains(candidate) }
        return regex?.matches(candidate) ?? false
    }

    private static func isLiteral(_ pattern: String) -> Bool {
        !pattern.unicodeScalars.contains { "\\^$.|?*+()[]{}".unicodeScalars.contains($0) }
    }
}
