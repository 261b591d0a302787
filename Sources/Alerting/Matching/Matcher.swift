import Foundation
import OutpostCore
import Templating

/// One label condition, as Alertmanager writes it: `name="value"`, `!=`, `=~` or `!~`.
///
/// A missing label has the empty value, so `team!="ops"` matches an alert without `team`
/// and `team=~".*"` matches every alert. Regular expressions are anchored at both ends.
public struct Matcher: Hashable, Sendable, CustomStringConvertible, Comparable {
    public enum Kind: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"

        /// The order Alertmanager sorts matcher types in.
        var rank: Int {
            switch self {
            case .equal: 0
            case .notEqual: 1
            case .regexMatch: 2
            case .regexNoMatch: 3
            }
        }
    }

    public let name: String
    public let kind: Kind
    public let value: String
    private let regex: AnchoredRegex?

    /// Fails when a regular expression does not compile.
    public init(name: String, kind: Kind, value: String) throws(MatcherParseError) {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual:
            regex = nil
        case .regexMatch, .regexNoMatch:
            guard let compiled = AnchoredRegex(value) else {
                throw MatcherParseError(offset: 0, message: "invalid regular expression \"\(value)\"")
            }
            regex = compiled
        }
    }

    public func matches(_ candidate: String) -> Bool {
        switch kind {
        case .equal: candidate == value
        case .notEqual: candidate != value
        case .regexMatch: regex!.matches(candidate)
        case .regexNoMatch: !regex!.matches(candidate)
        }
    }

    public func matches(_ labels: Labels) -> Bool { matches(labels[name] ?? "") }

    /// Alertmanager's form: the name, the operator and the value quoted as Go's `%q` does.
    public var description: String { name + kind.rawValue + GoQuote.quote(value) }

    public static func == (lhs: Matcher, rhs: Matcher) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(value)
    }

    public static func < (lhs: Matcher, rhs: Matcher) -> Bool {
        if lhs.name != rhs.name { return lhs.name < rhs.name }
        if lhs.kind != rhs.kind { return lhs.kind.rank < rhs.kind.rank }
        return lhs.value < rhs.value
    }
}

extension [Matcher] {
    /// True when every matcher matches.
    public func matches(_ labels: Labels) -> Bool { allSatisfy { $0.matches(labels) } }

    /// `{a="b",c=~"d"}`, the form Alertmanager uses in group keys.
    public var matchersDescription: String { "{" + map(\.description).joined(separator: ",") + "}" }
}

/// A regular expression anchored at both ends, as Alertmanager anchors its matchers: `^(?:…)$`,
/// without the `s` flag, so `.` does not match a newline.
struct AnchoredRegex: Sendable {
    private let matcher: GoRegexMatcher

    init?(_ pattern: String) {
        guard let matcher = try? GoRegexMatcher("^(?:" + pattern + ")$") else { return nil }
        self.matcher = matcher
    }

    func matches(_ text: String) -> Bool { matcher.matches(text) }
}
