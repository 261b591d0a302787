/// Go's regular-expression syntax (RE2, the one Prometheus, Alertmanager, blackbox_exporter and
/// statsd_exporter read) rewritten into plain forms that Swift's `Regex` and ICU's
/// `NSRegularExpression` both read with Go's meaning.
///
/// What it rejects, Go rejects, with Go's wording: back-references, lookaround, possessive and
/// stacked quantifiers, counts over 1000, unknown escapes such as `\Z` or `\e`. What Go accepts
/// and the engines read differently is spelled out: `\d`, `\s`, `\w` and `[[:alpha:]]` are ASCII
/// only, `$` without `m` is the end of the text (not before a final newline), `.` excludes only
/// `\n`, `\pL` is `\p{L}`, `\12` is octal, `[[a]` is a class holding `[`, `&&` in a class is two
/// ampersands, and `(?U)` swaps greediness.
public enum GoRegexSyntax {
    public static func translate(_ pattern: String) throws(GoRegexError) -> String {
        var parser = GoRegexParser(pattern)
        return translation(of: try parser.parse())
    }

    static func translation(of node: GoRegexNode) -> String {
        let spelled = node.spelled
        // ICU refuses an empty pattern, which Go reads as matching everywhere.
        return spelled.isEmpty ? "(?:)" : spelled
    }

    /// `pattern` compiled for Swift's `Regex`, matching Unicode scalars as Go matches runes.
    public static func regex(_ pattern: String) throws(GoRegexError) -> Regex<AnyRegexOutput> {
        try swiftRegex(translation: translate(pattern), pattern: pattern)
    }

    static func swiftRegex(translation translated: String, pattern: String) throws(GoRegexError) -> Regex<AnyRegexOutput> {
        do {
            // `\b` keeps Swift's default (Unicode) word boundaries: they also find one in an empty
            // text or between two spaces, where Go does not, but `.simple` misses the one before a digit.
            return try Regex(translated).matchingSemantics(.unicodeScalar)
        } catch {
            throw GoRegexError(code: "invalid or unsupported syntax", expression: pattern)
        }
    }
}

/// A pattern Go's regexp package would refuse, worded as Go words it.
public struct GoRegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var expression: String

    public init(code: String, expression: String) {
        self.code = code
        self.expression = expression
    }

    public var description: String { "error parsing regexp: \(code): `\(expression)`" }
}
