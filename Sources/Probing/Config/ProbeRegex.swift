import Foundation
import OutpostCore

/// A regular expression from the configuration, compiled once and searched unanchored, as
/// blackbox_exporter's `*_regexp` options are.
///
/// Whether it matches is answered in linear time (`GoRegexMatcher`), as blackbox's RE2 does: the
/// text comes from the probed target, and ICU, which backtracks, can spend minutes on a body
/// crafted against a pattern like `(\w+\s?)*$`. ICU only extracts captures once there is a match.
public struct ProbeRegex: Decodable, @unchecked Sendable, CustomStringConvertible {
    // NSRegularExpression is immutable after creation, so sharing it across tasks is safe.
    public let pattern: String
    let expression: NSRegularExpression
    let matcher: GoRegexMatcher

    public init(_ pattern: String) throws {
        self.pattern = pattern
        matcher = try GoRegexMatcher(pattern)
        expression = try NSRegularExpression(pattern: matcher.translation)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a valid regular expression: \(error)"))
        }
    }

    public var description: String { pattern }

    public func matches(_ text: String) -> Bool {
        matcher.matches(text)
    }

    /// The capture groups of the first match (index 0 is the whole match), or nil without a match.
    public func captures(in text: String) -> [String]? {
        guard matcher.matches(text),
              let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (0..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
        }
    }

    /// `template` with `${1}`, `$1` and `${name}`-style group references filled from the first match.
    public func expand(_ template: String, matching text: String) -> String {
        guard matcher.matches(text),
              let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return template }
        let normalized = template.replacingOccurrences(of: #"\$\{(\d+)\}"#, with: "\\$$1", options: .regularExpression)
        return expression.replacementString(for: match, in: text, offset: 0, template: normalized)
    }
}
