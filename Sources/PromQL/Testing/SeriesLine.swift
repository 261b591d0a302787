import OutpostCore
import TSDB

/// One value in the expanding series notation of test files (`0+10x5`, `_`, `stale`).
public enum SequenceValue: Equatable, Sendable {
    case float(Double)
    case omitted
    case histogram
}

/// A `metric{labels} values...` line, or a bare scalar, as in PromQL test `load` blocks,
/// their expected results, and promtool's rule unit tests.
public struct SeriesLine: Sendable {
    public var labels: Labels
    public var values: [SequenceValue]
    public var isScalar: Bool

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ line: String) throws -> SeriesLine {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        var inQuote: Unicode.Scalar?
        var braceDepth = 0
        // The descriptor ends at the first whitespace outside braces and quotes.
        while index < scalars.count {
            let c = scalars[index]
            if let quote = inQuote {
                if c == "\\" { index += 1 } else if c == quote { inQuote = nil }
            } else if c == "\"" || c == "'" || c == "`" {
                inQuote = c
            } else if c == "{" {
                braceDepth += 1
            } else if c == "}" {
                braceDepth -= 1
            } else if braceDepth == 0 && (c == " " || c == "\t") {
                break
            }
            index += 1
        }
        let descriptor = String(String.UnicodeScalarView(scalars[0..<index]))
        let rest = String(String.UnicodeScalarView(scalars[index...]))
        if let value = parseSingleFloat(descriptor), !descriptor.contains("{") {
            return SeriesLine(labels: Labels(), values: [.float(value)] + (try parseValues(rest)), isScalar: true)
        }
        return SeriesLine(labels: try parseLabels(descriptor), values: try parseValues(rest), isScalar: false)
    }

    public static func parseLabels(_ descriptor: String) throws -> Labels {
        let compact = descriptor.filter { !$0.isWhitespace }
        if compact == "{}" { return Labels() }
        let expr: Expr
        do { expr = try Parser.parse(descriptor) } catch { throw Invalid(description: "bad series \(descriptor): \(error)") }
        guard case .vectorSelector(let selector) = expr else { throw Invalid(description: "bad series \(descriptor)") }
        var labels = Labels()
        for matcher in selector.matchers where matcher.kind == .equal { labels[matcher.name] = matcher.value }
        return labels
    }

    public static func parseValues(_ text: String) throws -> [SequenceValue] {
        var values: [SequenceValue] = []
        for token in tokenize(text) {
            values.append(contentsOf: try expand(token))
        }
        return values
    }

    /// Splits on whitespace, keeping `{{ ... }}` histogram literals whole.
    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if c == "{" { depth += 1 }
            if c == "}" { depth -= 1 }
            if depth == 0 && (c == " " || c == "\t") {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private static func expand(_ token: String) throws -> [SequenceValue] {
        if token.contains("{{") {
            if let x = token.lastIndex(of: "x"), token[token.index(after: x)...].allSatisfy(\.isNumber),
               token.index(after: x) < token.endIndex, token[..<x].hasSuffix("}}"), let times = Int(token[token.index(after: x)...]) {
                return Array(repeating: .histogram, count: times + 1)
            }
            return [.histogram]
        }
        if token == "_" { return [.omitted] }
        if token == "stale" { return [.float(StaleMarker.value)] }
        if token.hasPrefix("_x"), let times = Int(token.dropFirst(2)) { return Array(repeating: .omitted, count: times) }
        if let value = parseSingleFloat(token) { return [.float(value)] }
        guard let x = token.lastIndex(of: "x"), let times = Int(token[token.index(after: x)...]) else {
            throw Invalid(description: "bad value \(token)")
        }
        let head = Array(token[..<x])
        var split: Int?
        for i in 1..<max(1, head.count) where (head[i] == "+" || head[i] == "-") && head[i - 1] != "e" && head[i - 1] != "E" {
            split = i
        }
        if let split {
            guard let start = parseSingleFloat(String(head[..<split])), let step = parseSingleFloat(String(head[split...])) else {
                throw Invalid(description: "bad value \(token)")
            }
            var result: [SequenceValue] = []
            var value = start
            for _ in 0...times {
                result.append(.float(value))
                value += step
            }
            return result
        }
        let headText = String(head)
        if headText == "stale" { return Array(repeating: .float(StaleMarker.value), count: times + 1) }
        guard let value = parseSingleFloat(headText) else { throw Invalid(description: "bad value \(token)") }
        return Array(repeating: .float(value), count: times + 1)
    }

    public static func parseSingleFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard let first = text.unicodeScalars.first, "0123456789+-.".unicodeScalars.contains(first), !text.contains("x") else { return nil }
        return Double(text)
    }
}
