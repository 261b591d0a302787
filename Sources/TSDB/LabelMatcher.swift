import OutpostCore

/// A condition on one label of a series, as in PromQL selectors (`=`, `!=`, `=~`, `!~`).
///
/// A missing label counts as the empty string. Regexes are anchored at both ends and `.`
/// matches newlines, as Prometheus does.
public struct LabelMatcher: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case equal = "=", notEqual = "!=", regexMatch = "=~", regexNoMatch = "!~"
    }

    public let kind: Kind
    public let name: String
    public let value: String
    private let regex: AnchoredRegex?

    /// Fails with the regex compiler's message when `value` is not a valid regex.
    public init(_ kind: Kind, _ name: String, _ value: String) throws(LabelMatcherError) {
        self.kind = kind
        self.name = name
        self.value = value
        switch kind {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch: regex = try AnchoredRegex(value)
        }
    }

    public func matches(_ candidate: String) -> Bool {
        switch kind {
        case .equal: return candidate == value
        case .notEqual: return candidate != value
        case .regexMatch: return regex?.matches(candidate) ?? false
        case .regexNoMatch: return !(regex?.matches(candidate) ?? false)
        }
    }

    public func matches(_ labels: Labels) -> Bool { matches(labels[name] ?? "") }

    public var description: String { "\(name)\(kind.rawValue)\"\(escapeLabelValue(value))\"" }
}

public struct LabelMatcherError: Error, Sendable, CustomStringConvertible {
    public let description: String
}
