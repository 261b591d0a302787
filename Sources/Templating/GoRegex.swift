import Foundation
import OutpostCore

/// Go regexp behaviour on top of NSRegularExpression: Go's syntax (`GoRegexSyntax`), MatchString
/// (unanchored) and ReplaceAllString with Go's `$1` / `${name}` expansion.
///
/// Whether it matches is answered in linear time (`GoRegexMatcher`), as Go's RE2 does, since the
/// text is often a label value; ICU, which backtracks, only runs once there is a match to replace.
struct GoRegex {
    private let expression: NSRegularExpression
    private let matcher: GoRegexMatcher
    private let groupNames: [String]

    /// Compiles `pattern`, or fails with Go's wording for a bad expression.
    init(_ pattern: String) throws(TemplateFunctionError) {
        do {
            matcher = try GoRegexMatcher(pattern)
            expression = try NSRegularExpression(pattern: matcher.translation)
        } catch let error as GoRegexError {
            throw TemplateFunctionError(error.description)
        } catch {
            throw TemplateFunctionError(GoRegexError(code: "invalid or unsupported syntax", expression: pattern).description)
        }
        groupNames = Self.names(in: matcher.translation)
    }

    private static func names(in pattern: String) -> [String] {
        var names: [String] = []
        var rest = Substring(pattern)
        while let start = rest.range(of: "(?<") {
            rest = rest[start.upperBound...]
            if let end = rest.firstIndex(of: ">") { names.append(String(rest[..<end])) }
        }
        return names
    }

    func matches(_ text: String) -> Bool {
        matcher.matches(text)
    }

    func replaceAll(in text: String, with replacement: String) -> String {
        guard matcher.matches(text) else { return text }
        let source = text as NSString
        var out = ""
        var last = 0
        for match in expression.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            out += source.substring(with: NSRange(location: last, length: match.range.location - last))
            out += expand(replacement, match: match, in: source)
            last = match.range.location + match.range.length
        }
        out += source.substring(from: last)
        return out
    }

    /// Go's Regexp.Expand: `$name` takes the longest run of letters, digits and `_`; `${name}`
    /// delimits it; `$$` is a dollar; an unknown or unmatched group expands to nothing.
    private func expand(_ template: String, match: NSTextCheckingResult, in source: NSString) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            var name: Substring
            if rest.first == "{" {
                guard let close = rest.firstIndex(of: "}") else {
                    out += "$"
                    continue
                }
                name = rest[rest.index(after: rest.startIndex)..<close]
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    out += "$"
                    continue
                }
                rest = rest[rest.index(after: close)...]
            } else {
                name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                guard !name.isEmpty else {
                    out += "$"
                    continue
                }
                rest = rest.dropFirst(name.count)
            }
            out += group(String(name), match: match, in: source)
        }
        return out + rest
    }

    private func group(_ name: String, match: NSTextCheckingResult, in source: NSString) -> String {
        var range = NSRange(location: NSNotFound, length: 0)
        if let number = Int(name) {
            guard number < match.numberOfRanges else { return "" }
            range = match.range(at: number)
        } else if groupNames.contains(name) {
            range = match.range(withName: name)
        }
        guard range.location != NSNotFound else { return "" }
        return source.substring(with: range)
    }
}
